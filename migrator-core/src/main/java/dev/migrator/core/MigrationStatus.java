package dev.migrator.core;

import java.util.List;
import java.util.Objects;

/**
 * Where the database stands: the state of each track.
 *
 * @param schema the schema track (Flyway)
 * @param data the data track
 * @param backfills the backfills started and not finished: running now, or stopped and waiting to
 *     resume
 * @since 0.1.0
 */
public record MigrationStatus(TrackStatus schema, TrackStatus data, List<BackfillProgress> backfills) {

    /**
     * Validate and copy the components.
     *
     * @throws NullPointerException when a component is {@code null}
     */
    public MigrationStatus {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(data, "data");
        backfills = List.copyOf(backfills);
    }

    /**
     * Create a status with no backfill under way.
     *
     * @param schema the schema track
     * @param data the data track
     */
    public MigrationStatus(TrackStatus schema, TrackStatus data) {
        this(schema, data, List.of());
    }

    /**
     * Return whether every track is at its target with nothing failed.
     *
     * @return {@code true} when there is nothing to do
     */
    public boolean isUpToDate() {
        return this.schema.isUpToDate() && this.data.isUpToDate();
    }

    /**
     * Return a one-line revision for logs and messages, for example {@code schema 7, data 3} or
     * {@code schema <none>, data <none>}.
     *
     * @return the revision, never {@code null}
     */
    public String revision() {
        return "schema " + this.schema.current().orElse("<none>") + ", data "
                + this.data.current().orElse("<none>");
    }
}
