package dev.migrator.core.analysis;

/**
 * How much a {@link Finding} matters.
 *
 * @since 0.2.0
 */
public enum Severity {

    /** The migration fails, or is certain to do harm, as written; building a test template fails on it by default. */
    ERROR,

    /** The migration is risky in production: it blocks a table, breaks running code or loses data. */
    WARNING,

    /** Worth knowing when reviewing the migration. */
    INFO;

    /**
     * Return whether this severity is at least as severe as another.
     *
     * @param other the other severity
     * @return {@code true} when this is {@code other} or more severe
     */
    public boolean atLeast(Severity other) {
        return ordinal() <= other.ordinal();
    }
}
