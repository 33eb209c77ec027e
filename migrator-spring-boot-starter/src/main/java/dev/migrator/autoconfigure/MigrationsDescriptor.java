package dev.migrator.autoconfigure;

import dev.migrator.core.AppliedMigration;
import dev.migrator.core.MigrationEntry;
import dev.migrator.core.RunReport;
import dev.migrator.core.TrackStatus;
import dev.migrator.core.check.CheckResult;
import dev.migrator.core.lock.LockHolder;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where the database stands, in the shape of {@code GET /actuator/migrations} and of command mode's
 * JSON output. Absent values are {@code null} (omitted from JSON).
 *
 * @param status {@code UP_TO_DATE}, {@code PENDING}, {@code FAILED} (a failed migration, run or
 *     check) or {@code INVALID} (applied migrations do not match the local ones)
 * @param autoRun whether startup migrates
 * @param schema the schema track
 * @param data the data track
 * @param lock the cluster lock
 * @param lastRun the last run of this instance, if any
 * @param checks the check results
 * @param error why the status could not be read completely, if it could not
 * @since 0.1.0
 */
public record MigrationsDescriptor(
        Status status,
        boolean autoRun,
        @Nullable Track schema,
        @Nullable Track data,
        Lock lock,
        @Nullable LastRun lastRun,
        List<Check> checks,
        @Nullable String error) {

    /** The overall status. */
    public enum Status {
        /** Every track at its target, nothing failed. */
        UP_TO_DATE,
        /** Migrations are pending. */
        PENDING,
        /** A migration, the last run or a check failed. */
        FAILED,
        /** Applied migrations do not match the local ones (changed, missing, duplicated). */
        INVALID
    }

    /**
     * One track.
     *
     * @param current the version applied last, or {@code null}
     * @param target the target
     * @param pending the pending migrations
     * @param failed the failed migrations
     */
    public record Track(@Nullable String current, String target, List<Migration> pending, List<Migration> failed) {

        static Track of(TrackStatus status) {
            return new Track(
                    status.current().orElse(null),
                    status.target(),
                    status.pending().stream().map(Migration::of).toList(),
                    status.failed().stream().map(Migration::of).toList());
        }
    }

    /**
     * One migration.
     *
     * @param version the version, {@code null} for a repeatable one
     * @param description the description
     * @param script the script or class
     * @param type the type
     * @param reason why it waits, or {@code null}
     */
    public record Migration(
            @Nullable String version,
            String description,
            String script,
            String type,
            @Nullable String reason) {

        static Migration of(MigrationEntry entry) {
            return new Migration(
                    entry.version().orElse(null),
                    entry.description(),
                    entry.script(),
                    entry.type(),
                    entry.reason().orElse(null));
        }
    }

    /**
     * The cluster lock.
     *
     * @param held whether a run holds it now
     * @param holder the session holding it, or {@code null}
     */
    public record Lock(boolean held, @Nullable Holder holder) {

        static Lock of(java.util.Optional<LockHolder> holder) {
            return new Lock(
                    holder.isPresent(),
                    holder.map(h -> new Holder(
                                    h.pid(),
                                    h.applicationName().orElse(null),
                                    h.clientAddress().orElse(null)))
                            .orElse(null));
        }
    }

    /**
     * The session holding the lock.
     *
     * @param pid its backend pid
     * @param applicationName its application name, or {@code null}
     * @param clientAddress its client address, or {@code null}
     */
    public record Holder(
            int pid,
            @Nullable String applicationName,
            @Nullable String clientAddress) {}

    /**
     * The last run of this instance.
     *
     * @param trigger {@code startup}, {@code endpoint} or {@code command}
     * @param startedAt when it started
     * @param durationMs how long it took
     * @param outcome {@code SUCCESS} or {@code FAILED}
     * @param schemaApplied the schema migrations it applied
     * @param dataApplied the data migrations it applied
     * @param error the failure, or {@code null}
     */
    public record LastRun(
            String trigger,
            Instant startedAt,
            long durationMs,
            String outcome,
            List<Applied> schemaApplied,
            List<Applied> dataApplied,
            @Nullable String error) {

        static LastRun of(MigratorOperations.LastRun run) {
            return of(run.trigger(), run.report());
        }

        /**
         * Describe a run.
         *
         * @param trigger what started it
         * @param report its report
         * @return the description
         */
        public static LastRun of(String trigger, RunReport report) {
            return new LastRun(
                    trigger,
                    report.startedAt(),
                    report.duration().toMillis(),
                    report.outcome().name(),
                    report.schemaApplied().stream().map(Applied::of).toList(),
                    report.dataApplied().stream().map(Applied::of).toList(),
                    report.error().orElse(null));
        }
    }

    /**
     * An applied migration.
     *
     * @param version the version, {@code null} for a repeatable one
     * @param description the description
     * @param script the script or class
     * @param executionTimeMs how long it ran
     */
    public record Applied(@Nullable String version, String description, String script, long executionTimeMs) {

        static Applied of(AppliedMigration applied) {
            return new Applied(
                    applied.migration().version().orElse(null),
                    applied.migration().description(),
                    applied.migration().script(),
                    applied.executionTime().toMillis());
        }
    }

    /**
     * A check result.
     *
     * @param name the check
     * @param status {@code PASSED} or {@code FAILED}
     * @param detail what it found
     */
    public record Check(String name, String status, String detail) {

        /**
         * Describe a check result.
         *
         * @param result the result
         * @return the description
         */
        public static Check of(CheckResult result) {
            return new Check(result.name(), result.passed() ? "PASSED" : "FAILED", result.detail());
        }
    }

    /**
     * One applied (or failed) migration of the history timeline ({@code GET
     * /actuator/migrations/history}, the {@code history} command's JSON).
     *
     * @param track {@code SCHEMA} or {@code DATA}
     * @param installedRank the position in its track's history table
     * @param version the version, {@code null} for a repeatable migration
     * @param description the description
     * @param script the script or class
     * @param type how it ran, for example {@code SQL} or {@code JDBC}
     * @param installedBy the database user that ran it
     * @param installedOn when it ran
     * @param executionTimeMs how long it ran
     * @param rowsAffected the rows a data migration changed, {@code null} when not counted
     * @param success whether it succeeded
     */
    public record HistoryEntry(
            String track,
            int installedRank,
            @Nullable String version,
            String description,
            String script,
            String type,
            String installedBy,
            Instant installedOn,
            long executionTimeMs,
            @Nullable Long rowsAffected,
            boolean success) {

        /**
         * Describe a history entry.
         *
         * @param entry the entry
         * @return the description
         */
        public static HistoryEntry of(dev.migrator.core.HistoryEntry entry) {
            return new HistoryEntry(
                    entry.track().name(),
                    entry.installedRank(),
                    entry.migration().version().orElse(null),
                    entry.migration().description(),
                    entry.migration().script(),
                    entry.migration().type(),
                    entry.installedBy(),
                    entry.installedOn(),
                    entry.executionTime().toMillis(),
                    entry.rowsAffected().orElse(null),
                    entry.success());
        }
    }

    /**
     * One migration a run would apply ({@code GET /actuator/migrations/preview}, the {@code
     * preview} command's JSON).
     *
     * @param track {@code SCHEMA} or {@code DATA}
     * @param version the version, {@code null} for a repeatable migration
     * @param description the description
     * @param script the script or class
     * @param type how it runs, for example {@code SQL} or {@code JDBC}
     * @param sql the SQL as written, {@code null} for a Java migration
     */
    public record PreviewStep(
            String track,
            @Nullable String version,
            String description,
            String script,
            String type,
            @Nullable String sql) {

        /**
         * Describe a preview step.
         *
         * @param step the step
         * @return the description
         */
        public static PreviewStep of(dev.migrator.core.PreviewStep step) {
            return new PreviewStep(
                    step.track().name(),
                    step.migration().version().orElse(null),
                    step.migration().description(),
                    step.migration().script(),
                    step.migration().type(),
                    step.sql().orElse(null));
        }
    }
}
