package dev.migrator.autoconfigure;

import dev.migrator.core.AppliedMigration;
import dev.migrator.core.MigrationEntry;
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
            return new LastRun(
                    run.trigger(),
                    run.report().startedAt(),
                    run.report().duration().toMillis(),
                    run.report().outcome().name(),
                    run.report().schemaApplied().stream().map(Applied::of).toList(),
                    run.report().dataApplied().stream().map(Applied::of).toList(),
                    run.report().error().orElse(null));
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

        static Check of(CheckResult result) {
            return new Check(result.name(), result.passed() ? "PASSED" : "FAILED", result.detail());
        }
    }
}
