package dev.migrator.core.check;

import dev.migrator.core.Redactor;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one {@link MigrationCheck}.
 *
 * @param name the check's name
 * @param passed whether the check passed
 * @param detail what the check found, for example the first offending rows; empty text when there
 *     is nothing to say. Credentials in it are masked by the {@link Redactor}
 * @param builtIn which built-in check this is, empty for a SQL or Java check
 * @since 0.1.0
 */
public record CheckResult(String name, boolean passed, String detail, Optional<BuiltInCheck> builtIn) {

    /**
     * Validate the components and mask credentials in the detail.
     *
     * @throws NullPointerException when a component is {@code null}
     */
    public CheckResult {
        Objects.requireNonNull(name, "name");
        detail = Redactor.redact(Objects.requireNonNull(detail, "detail"));
        Objects.requireNonNull(builtIn, "builtIn");
    }

    /**
     * Create the result of a SQL or Java check.
     *
     * @param name the check's name
     * @param passed whether the check passed
     * @param detail what the check found
     */
    public CheckResult(String name, boolean passed, String detail) {
        this(name, passed, detail, Optional.empty());
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

    /**
     * The result of a built-in check.
     *
     * @param check the check
     * @param passed whether it passed
     * @param detail what it found
     * @return the result, named after the check's {@linkplain BuiltInCheck#id() id}
     */
    public static CheckResult of(BuiltInCheck check, boolean passed, String detail) {
        return new CheckResult(check.id(), passed, detail, Optional.of(check));
    }

    /**
     * Return whether this is the result of the given built-in check.
     *
     * @param check the built-in check
     * @return {@code true} when it is
     */
    public boolean is(BuiltInCheck check) {
        return this.builtIn.equals(Optional.of(check));
    }
}
