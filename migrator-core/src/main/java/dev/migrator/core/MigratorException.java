package dev.migrator.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Root of every failure migrator reports. The message has three parts: what failed, the offending
 * value in quotes, and the next step; {@link #description()} and {@link #action()} give the first
 * two and the last one separately, for tools that show them apart. Credentials in the text (a
 * password in a URL or in SQL quoted by the database) are masked by the {@link Redactor}.
 *
 * @since 0.1.0
 */
public class MigratorException extends RuntimeException {

    private final ErrorCode code;

    private final String description;

    private final String action;

    /**
     * Create an exception.
     *
     * @param code the kind of failure
     * @param description what failed, with the offending value in quotes
     * @param action the next step for the user
     * @param cause the underlying failure, or {@code null} when there is none
     */
    public MigratorException(ErrorCode code, String description, String action, @Nullable Throwable cause) {
        super(Redactor.redact(description + " " + action), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.description = Redactor.redact(description);
        this.action = Redactor.redact(action);
    }

    /**
     * Return the kind of failure.
     *
     * @return the error code, never {@code null}
     */
    public ErrorCode code() {
        return this.code;
    }

    /**
     * Return what failed, with the offending value.
     *
     * @return the description, never {@code null}
     */
    public String description() {
        return this.description;
    }

    /**
     * Return the next step for the user.
     *
     * @return the action, never {@code null}
     */
    public String action() {
        return this.action;
    }
}
