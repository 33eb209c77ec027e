package dev.migrator.core.internal;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One thing wrong with the migrations or the settings, found while deciding what to do: decisions
 * collect every problem, and the edges turn them into one failure or a list of messages.
 *
 * @param code the kind of failure
 * @param description what is wrong, with the offending value in quotes
 * @param action the next step
 */
public record Problem(ErrorCode code, String description, String action) {

    /** Return the message users see, as a {@link MigratorException} would show it. */
    public String message() {
        return this.description + " " + this.action;
    }

    /** Throw when there is any problem: one failure naming each of them, with the first one's code. */
    public static void throwIfAny(List<Problem> problems) {
        if (problems.isEmpty()) {
            return;
        }
        if (problems.size() == 1) {
            Problem problem = problems.get(0);
            throw new MigratorException(problem.code(), problem.description(), problem.action(), null);
        }
        throw new MigratorException(
                problems.get(0).code(),
                problems.size() + " problems: "
                        + problems.stream().map(Problem::description).collect(Collectors.joining(" ")),
                problems.stream().map(Problem::action).distinct().collect(Collectors.joining(" ")),
                null);
    }
}
