package dev.migrator.core.check;

import java.util.Objects;

/**
 * The outcome of one {@link MigrationCheck}.
 *
 * @param name the check's name
 * @param passed whether the check passed
 * @param detail what the check found, for example the first offending rows; empty text when there
 *     is nothing to say
 * @since 0.1.0
 */
public record CheckResult(String name, boolean passed, String detail) {

    /**
     * Validate the components.
     *
     * @throws NullPointerException when a component is {@code null}
     */
    public CheckResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * A passed check.
     *
     * @param name the check's name
     * @param detail what it found
     * @return the result
     */
    public static CheckResult passed(String name, String detail) {
        return new CheckResult(name, true, detail);
    }

    /**
     * A failed check.
     *
     * @param name the check's name
     * @param detail what is wrong
     * @return the result
     */
    public static CheckResult failed(String name, String detail) {
        return new CheckResult(name, false, detail);
    }
}
