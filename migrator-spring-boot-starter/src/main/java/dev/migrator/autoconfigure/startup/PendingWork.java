package dev.migrator.autoconfigure.startup;

import dev.migrator.autoconfigure.MigratorProperties.OnPending;
import dev.migrator.autoconfigure.operations.MigrationSets;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigrationEntry;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Track;
import dev.migrator.core.TrackStatus;
import java.util.Locale;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Follows {@code migrator.on-pending} for a track that auto-run did not migrate. */
final class PendingWork {

    private static final Logger logger = LoggerFactory.getLogger(PendingWork.class);

    private PendingWork() {}

    static void check(Track track, TrackStatus status, OnPending onPending) {
        check(MigrationSets.DEFAULT, track, status, onPending);
    }

    static void check(String set, Track track, TrackStatus status, OnPending onPending) {
        String name = track.name().toLowerCase(Locale.ROOT) + " track"
                + (MigrationSets.DEFAULT.equals(set) ? "" : " of migration set '" + set + "'");
        if (status.isUpToDate()) {
            logger.info(
                    "The {} is up to date ({}); migrator.auto-run is off",
                    name,
                    status.current().orElse("nothing applied"));
            return;
        }
        StringBuilder description = new StringBuilder("The ")
                .append(name)
                .append(" at ")
                .append(status.current().orElse("no version"))
                .append(" is not up to date and migrator.auto-run is off:");
        if (!status.pending().isEmpty()) {
            description.append(" pending ").append(list(status.pending()));
        }
        if (!status.failed().isEmpty()) {
            description.append(" failed ").append(list(status.failed()));
        }
        description.append('.');
        String action = "Apply them (start once with migrator.auto-run=true, or run the migration job), or set"
                + " migrator.on-pending=warn to start anyway.";
        if (onPending == OnPending.FAIL) {
            throw new MigratorException(ErrorCode.PENDING, description.toString(), action, null);
        }
        logger.warn("{} {}", description, action);
    }

    private static String list(java.util.List<MigrationEntry> entries) {
        return entries.stream()
                .map(entry -> entry.displayName()
                        + entry.reason().map(r -> " (" + r + ")").orElse(""))
                .collect(Collectors.joining("', '", "'", "'"));
    }
}
