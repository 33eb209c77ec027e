package dev.migrator.core.internal.data;

import java.time.Instant;
import java.util.Optional;

/**
 * One row of the data history table.
 *
 * @param installedRank the position in the history
 * @param version the version, empty for a repeatable migration
 * @param description the description
 * @param type {@code SQL}, {@code SQL_REPEATABLE} or {@code JAVA}
 * @param script the file or class name
 * @param checksum the checksum, if the migration has one
 * @param installedBy the database user that ran it
 * @param installedOn when it ran
 * @param executionTimeMs how long it ran
 * @param rowsAffected the rows it changed, when counted
 * @param success whether it succeeded
 */
public record DataHistoryRow(
        int installedRank,
        Optional<String> version,
        String description,
        String type,
        String script,
        Optional<Integer> checksum,
        String installedBy,
        Instant installedOn,
        int executionTimeMs,
        Optional<Long> rowsAffected,
        boolean success) {}
