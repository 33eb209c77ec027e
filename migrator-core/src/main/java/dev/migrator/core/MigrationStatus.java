package dev.migrator.core;

import java.util.Objects;

/**
 * Where the database stands: the state of each track.
 *
 * @param schema the schema track (Flyway)
 * @since 0.1.0
 */
public record MigrationStatus(TrackStatus schema) {

    /**
     * Validate the components.
     *
     * @throws NullPointerException when a component is {@code null}
     */
    public MigrationStatus {
        Objects.requireNonNull(schema, "schema");
    }

    /**
     * Return whether every track is at its target with nothing failed.
     *
     * @return {@code true} when there is nothing to do
     */
    public boolean isUpToDate() {
        return this.schema.isUpToDate();
    }

    /**
     * Return a one-line revision for logs and messages, for example {@code schema 7} or
     * {@code schema <none>}.
     *
     * @return the revision, never {@code null}
     */
    public String revision() {
        return "schema " + this.schema.current().orElse("<none>");
    }
}
