package dev.migrator.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One applied (or failed) migration of either track, as the history tables record it.
 *
 * @param track the track
 * @param installedRank the position in its track's history table
 * @param migration the migration
 * @param installedBy the database user that ran it
 * @param installedOn when it ran
 * @param executionTime how long it ran
 * @param rowsAffected the rows a data migration changed, empty when not counted (schema
 *     migrations, Java data migrations without a backfill)
 * @param success whether it succeeded
 * @since 0.1.0
 */
public record HistoryEntry(
        Track track,
        int installedRank,
        MigrationEntry migration,
        String installedBy,
        Instant installedOn,
        Duration executionTime,
        Optional<Long> rowsAffected,
        boolean success) {

    /**
     * Validate the components.
     *
     * @throws NullPointerException when a component is {@code null}
     */
    public HistoryEntry {
        Objects.requireNonNull(track, "track");
        Objects.requireNonNull(migration, "migration");
        Objects.requireNonNull(installedBy, "installedBy");
        Objects.requireNonNull(installedOn, "installedOn");
        Objects.requireNonNull(executionTime, "executionTime");
        Objects.requireNonNull(rowsAffected, "rowsAffected");
    }
}
