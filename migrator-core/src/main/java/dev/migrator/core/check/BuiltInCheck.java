package dev.migrator.core.check;

/**
 * The checks every migrator runs before the SQL and Java checks, in this order.
 *
 * @since 0.1.0
 */
public enum BuiltInCheck {

    /** Applied migrations of both tracks match their files. */
    CHECKSUMS_VALID("checksums-valid"),

    /** Nothing is pending on the schema track. */
    SCHEMA_AT_TARGET("schema-at-target"),

    /** Nothing is pending on the data track. */
    DATA_AT_TARGET("data-at-target"),

    /** No migration of either track is recorded as failed. */
    NO_FAILED_MIGRATIONS("no-failed-migrations");

    private final String id;

    BuiltInCheck(String id) {
        this.id = id;
    }

    /**
     * Return the name the check's results carry, for example {@code checksums-valid}.
     *
     * @return the id, never {@code null}
     */
    public String id() {
        return this.id;
    }

    /**
     * Return whether the check tells whether work is pending, which status reads fresh instead.
     *
     * @return {@code true} for the at-target checks
     */
    public boolean isAtTarget() {
        return this == SCHEMA_AT_TARGET || this == DATA_AT_TARGET;
    }
}
