package dev.migrator.autoconfigure.descriptor;

import dev.migrator.core.AppliedMigration;
import dev.migrator.core.BackfillProgress;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigrationEntry;
import dev.migrator.core.MigrationStatus;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Redactor;
import dev.migrator.core.RunReport;
import dev.migrator.core.TrackStatus;
import dev.migrator.core.check.CheckResult;
import dev.migrator.core.lock.LockHolder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where the database stands, in the shape of {@code GET /actuator/migrations} and of command mode's
 * JSON output. Absent values are {@code null} (omitted from JSON). Every free text (errors, check
 * details, SQL) passes through the {@link Redactor} on its way in, so no output path built on these
 * records shows a password.
 *
 * @param status {@code UP_TO_DATE}, {@code PENDING}, {@code FAILED} (a failed migration, run or
 *     check) or {@code INVALID} (applied migrations do not match the local ones)
 * @param autoRun whether startup migrates
 * @param schema the schema track
 * @param data the data track
 * @param lock the cluster lock
 * @param lastRun the last run of this instance, if any
 * @param drift the last drift check of this instance, if one was run
 * @param checks the check results
 * @param error why the status could not be read completely, if it could not
 * @param sets the named migration sets, each described alike, when the service has any; then the
 *     top level describes the default set and {@code status} is the worst of all sets
 * @since 0.1.0
 */
public record MigrationsDescriptor(
        Status status,
        boolean autoRun,
        @Nullable Track schema,
        @Nullable Track data,
        Lock lock,
        @Nullable LastRun lastRun,
        @Nullable Drift drift,
        List<Check> checks,
        @Nullable String error,
        @Nullable Map<String, MigrationsDescriptor> sets) {

    /**
     * Mask credentials in the error.
     */
    public MigrationsDescriptor {
        checks = List.copyOf(checks);
        error = redact(error);
    }

    /**
     * Create a description of a single set.
     *
     * @param status the overall status
     * @param autoRun whether startup migrates
     * @param schema the schema track, or {@code null}
     * @param data the data track, or {@code null}
     * @param lock the cluster lock
     * @param lastRun the last run, or {@code null}
     * @param checks the check results
     * @param error why the status could not be read, or {@code null}
     */
    public MigrationsDescriptor(
            Status status,
            boolean autoRun,
            @Nullable Track schema,
            @Nullable Track data,
            Lock lock,
            @Nullable LastRun lastRun,
            List<Check> checks,
            @Nullable String error) {
        this(status, autoRun, schema, data, lock, lastRun, null, checks, error, null);
    }

    /**
     * Create a description with the named sets and no drift check.
     *
     * @param status the overall status
     * @param autoRun whether startup migrates
     * @param schema the schema track, or {@code null}
     * @param data the data track, or {@code null}
     * @param lock the cluster lock
     * @param lastRun the last run, or {@code null}
     * @param checks the check results
     * @param error why the status could not be read, or {@code null}
     * @param sets the named sets, or {@code null}
     */
    public MigrationsDescriptor(
            Status status,
            boolean autoRun,
            @Nullable Track schema,
            @Nullable Track data,
            Lock lock,
            @Nullable LastRun lastRun,
            List<Check> checks,
            @Nullable String error,
            @Nullable Map<String, MigrationsDescriptor> sets) {
        this(status, autoRun, schema, data, lock, lastRun, null, checks, error, sets);
    }

    /**
     * Return this description with the last drift check.
     *
     * @param drift the last drift check, or {@code null} when none was run
     * @return the description
     * @since 0.4.0
     */
    public MigrationsDescriptor withDrift(@Nullable Drift drift) {
        return new MigrationsDescriptor(
                this.status,
                this.autoRun,
                this.schema,
                this.data,
                this.lock,
                this.lastRun,
                drift,
                this.checks,
                this.error,
                this.sets);
    }

    /**
     * Return this description of the default set with the named sets beside it; the status becomes
     * the worst of all.
     *
     * @param sets the named sets, in run order
     * @return the description of all sets
     */
    public MigrationsDescriptor withSets(Map<String, MigrationsDescriptor> sets) {
        Status worst = sets.values().stream()
                .map(MigrationsDescriptor::status)
                .reduce(this.status, (a, b) -> (b.ordinal() > a.ordinal()) ? b : a);
        return new MigrationsDescriptor(
                worst,
                this.autoRun,
                this.schema,
                this.data,
                this.lock,
                this.lastRun,
                this.drift,
                this.checks,
                this.error,
                new LinkedHashMap<>(sets));
    }

    /**
     * Describe a status that was read.
     *
     * @param status the overall status
     * @param autoRun whether startup migrates
     * @param tracks the status of both tracks
     * @param lock the cluster lock
     * @param lastRun the last run, or {@code null}
     * @param checks the check results
     * @return the description
     */
    public static MigrationsDescriptor of(
            Status status,
            boolean autoRun,
            MigrationStatus tracks,
            Lock lock,
            @Nullable LastRun lastRun,
            List<CheckResult> checks) {
        return new MigrationsDescriptor(
                status,
                autoRun,
                Track.of(tracks.schema()),
                Track.of(tracks.data(), tracks.backfills()),
                lock,
                lastRun,
                checks.stream().map(Check::of).toList(),
                null);
    }

    /**
     * Describe a status that could not be read.
     *
     * @param failure why it could not be read
     * @param autoRun whether startup migrates
     * @param lock the cluster lock
     * @param lastRun the last run, or {@code null}
     * @return the description: {@link Status#INVALID} for a validation failure, otherwise
     *     {@link Status#FAILED}
     */
    public static MigrationsDescriptor unreadable(
            MigratorException failure, boolean autoRun, Lock lock, @Nullable LastRun lastRun) {
        return new MigrationsDescriptor(
                failure.code() == ErrorCode.VALIDATION ? Status.INVALID : Status.FAILED,
                autoRun,
                null,
                null,
                lock,
                lastRun,
                List.of(),
                failure.getMessage());
    }

    private static @Nullable String redact(@Nullable String text) {
        return (text != null) ? Redactor.redact(text) : null;
    }

    /** The outcome of a check. */
    public enum CheckStatus {
        /** The check found nothing wrong. */
        PASSED,
        /** The check found something wrong, or could not run. */
        FAILED
    }

    /** The overall status, from the best to the worst. */
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
     * @param backfills the data track's backfills started and not finished (running, or stopped and
     *     waiting to resume), or {@code null} when there is none
     */
    public record Track(
            @Nullable String current,
            String target,
            List<Migration> pending,
            List<Migration> failed,
            @Nullable List<Backfill> backfills) {

        /**
         * Describe a track with no backfill under way.
         *
         * @param status its status
         * @return the description
         */
        public static Track of(TrackStatus status) {
            return of(status, List.of());
        }

        /**
         * Describe a track and its backfills under way.
         *
         * @param status its status
         * @param backfills its backfills started and not finished
         * @return the description
         */
        public static Track of(TrackStatus status, List<BackfillProgress> backfills) {
            return new Track(
                    status.current().orElse(null),
                    status.target(),
                    status.pending().stream().map(Migration::of).toList(),
                    status.failed().stream().map(Migration::of).toList(),
                    backfills.isEmpty()
                            ? null
                            : backfills.stream().map(Backfill::of).toList());
        }
    }

    /**
     * A backfill started and not finished.
     *
     * @param version the data migration's version
     * @param name the table and key column it walks
     * @param rowsDone the rows changed so far
     * @param batches the batches committed so far
     * @param batchSize the rows of its last batch: with batches sized to time, the size it found for
     *     its budget
     * @param updatedAt when its last batch committed
     */
    public record Backfill(String version, String name, long rowsDone, long batches, int batchSize, String updatedAt) {

        static Backfill of(BackfillProgress progress) {
            return new Backfill(
                    progress.version(),
                    progress.name(),
                    progress.rowsDone(),
                    progress.batches(),
                    progress.batchSize(),
                    progress.updatedAt().toString());
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

        /**
         * Describe the lock.
         *
         * @param holder the session holding it, if any
         * @return the description
         */
        public static Lock of(Optional<LockHolder> holder) {
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
     * @param trigger what started it
     * @param startedAt when it started
     * @param durationMs how long it took
     * @param outcome whether it succeeded
     * @param schemaApplied the schema migrations it applied
     * @param dataApplied the data migrations it applied
     * @param error the failure, or {@code null}
     */
    public record LastRun(
            Trigger trigger,
            Instant startedAt,
            long durationMs,
            RunReport.Outcome outcome,
            List<Applied> schemaApplied,
            List<Applied> dataApplied,
            @Nullable String error) {

        /** Mask credentials in the error. */
        public LastRun {
            error = redact(error);
        }

        /**
         * Describe a run.
         *
         * @param trigger what started it
         * @param report its report
         * @return the description
         */
        public static LastRun of(Trigger trigger, RunReport report) {
            return new LastRun(
                    trigger,
                    report.startedAt(),
                    report.duration().toMillis(),
                    report.outcome(),
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
     * @param status whether it passed
     * @param detail what it found
     */
    public record Check(String name, CheckStatus status, String detail) {

        /** Mask credentials in the detail. */
        public Check {
            detail = Redactor.redact(detail);
        }

        /**
         * Describe a check result.
         *
         * @param result the result
         * @return the description
         */
        public static Check of(CheckResult result) {
            return new Check(result.name(), result.passed() ? CheckStatus.PASSED : CheckStatus.FAILED, result.detail());
        }
    }

    /**
     * One applied (or failed) migration of the history timeline ({@code GET
     * /actuator/migrations/history}, the {@code history} command's JSON).
     *
     * @param track the track
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
            dev.migrator.core.Track track,
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
                    entry.track(),
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
     * @param track the track
     * @param version the version, {@code null} for a repeatable migration
     * @param description the description
     * @param script the script or class
     * @param type how it runs, for example {@code SQL} or {@code JDBC}
     * @param sql the SQL as written, {@code null} for a Java migration
     */
    public record PreviewStep(
            dev.migrator.core.Track track,
            @Nullable String version,
            String description,
            String script,
            String type,
            @Nullable String sql,
            List<Finding> findings) {

        /** Mask credentials in the SQL. */
        public PreviewStep {
            sql = redact(sql);
        }

        /**
         * Describe a preview step.
         *
         * @param step the step
         * @return the description
         */
        public static PreviewStep of(dev.migrator.core.PreviewStep step) {
            return new PreviewStep(
                    step.track(),
                    step.migration().version().orElse(null),
                    step.migration().description(),
                    step.migration().script(),
                    step.migration().type(),
                    step.sql().orElse(null),
                    Finding.of(step.findings()));
        }
    }

    /**
     * A migration on the path of an undo.
     *
     * @param track the migration's track
     * @param version the version it undoes
     * @param description the migration's description
     * @param script the migration's script or class
     * @param undo the undo script, or the class whose {@code undo} runs
     * @param transactional whether the undo runs in one transaction with the removal of the history row
     * @param sql the undo script's SQL with credentials masked; {@code null} for Java
     * @since 0.3.0
     */
    public record UndoStep(
            dev.migrator.core.Track track,
            @Nullable String version,
            String description,
            String script,
            String undo,
            boolean transactional,
            @Nullable String sql) {

        /** Mask credentials in the SQL. */
        public UndoStep {
            sql = redact(sql);
        }

        /**
         * Describe the steps of an undo.
         *
         * @param steps the steps
         * @return their descriptions, in order
         */
        public static List<UndoStep> of(List<dev.migrator.core.UndoStep> steps) {
            return steps.stream()
                    .map(step -> new UndoStep(
                            step.track(),
                            step.migration().version().orElse(null),
                            step.migration().description(),
                            step.migration().script(),
                            step.undo(),
                            step.transactional(),
                            step.sql().orElse(null)))
                    .toList();
        }
    }

    /**
     * What an undo did.
     *
     * @param durationMs how long it took, lock wait included
     * @param undone the migrations undone, in the order they were
     * @param rerun the repeatable migrations the next migrate runs again
     * @since 0.3.0
     */
    public record Undo(long durationMs, List<UndoStep> undone, List<String> rerun) {

        /**
         * Describe an undo.
         *
         * @param report the undo's report
         * @return the description
         */
        public static Undo of(dev.migrator.core.UndoReport report) {
            return new Undo(
                    report.duration().toMillis(),
                    UndoStep.of(report.undone()),
                    report.rerun().stream()
                            .map(dev.migrator.core.MigrationEntry::script)
                            .toList());
        }
    }

    /**
     * A finding of the change analysis.
     *
     * @param rule the rule's name, such as {@code blocking-index-build}
     * @param severity {@code ERROR}, {@code WARNING} or {@code INFO}
     * @param migration the migration's script or class
     * @param object the object concerned, or the statement's line
     * @param detail what was seen
     * @param why why it is dangerous
     * @param safeForm the safe form
     * @param allowed the reason the migration gives for allowing it, or {@code null}
     */
    public record Finding(
            String rule,
            dev.migrator.core.analysis.Severity severity,
            String migration,
            String object,
            String detail,
            String why,
            String safeForm,
            @Nullable String allowed) {

        /**
         * Describe findings.
         *
         * @param findings the findings
         * @return their descriptions, in order
         */
        public static List<Finding> of(List<dev.migrator.core.analysis.Finding> findings) {
            return findings.stream()
                    .map(f -> new Finding(
                            f.rule().id(),
                            f.severity(),
                            f.migration(),
                            f.object(),
                            f.detail(),
                            f.rule().why(),
                            f.rule().safeForm(),
                            f.allowed().orElse(null)))
                    .toList();
        }
    }

    /**
     * A rehearsal: the pending migrations run in one transaction and rolled back.
     *
     * @param succeeded whether every rehearsed migration ran
     * @param durationMs how long it took
     * @param rehearsed the migrations it ran, in order
     * @param notRehearsed the pending migrations it could not run, with why
     * @param error the first error, or {@code null}
     * @param note what stays behind: sequences advance
     */
    public record Rehearsal(
            boolean succeeded,
            long durationMs,
            List<RehearsedStep> rehearsed,
            List<NotRehearsed> notRehearsed,
            @Nullable String error,
            String note) {

        /**
         * Describe a rehearsal.
         *
         * @param rehearsal the rehearsal
         * @return the description
         */
        public static Rehearsal of(dev.migrator.core.Rehearsal rehearsal) {
            return new Rehearsal(
                    rehearsal.succeeded(),
                    rehearsal.duration().toMillis(),
                    rehearsal.rehearsed().stream().map(RehearsedStep::of).toList(),
                    rehearsal.notRehearsed().stream()
                            .map(s -> new NotRehearsed(s.track(), s.migration().script(), s.reason()))
                            .toList(),
                    redact(rehearsal.error().orElse(null)),
                    dev.migrator.core.Rehearsal.SEQUENCES);
        }
    }

    /**
     * A migration a rehearsal ran.
     *
     * @param track its track
     * @param script its script or class
     * @param durationMs how long it ran
     * @param locks the locks it held on existing tables, as {@code table: mode}
     * @param rewritten the existing tables it rewrote
     * @param rowsInserted rows it inserted
     * @param rowsChanged rows it updated or deleted
     * @param findings what the change analysis found
     * @param error its error, or {@code null}
     */
    public record RehearsedStep(
            dev.migrator.core.Track track,
            String script,
            long durationMs,
            List<String> locks,
            List<String> rewritten,
            long rowsInserted,
            long rowsChanged,
            List<Finding> findings,
            @Nullable String error) {

        static RehearsedStep of(dev.migrator.core.Rehearsal.Step step) {
            Optional<dev.migrator.core.analysis.Observation> observation = step.observation();
            return new RehearsedStep(
                    step.track(),
                    step.migration().script(),
                    step.duration().toMillis(),
                    observation
                            .map(o -> o.locks().stream()
                                    .map(lock -> lock.table() + ": " + lock.mode())
                                    .toList())
                            .orElse(List.of()),
                    observation
                            .map(dev.migrator.core.analysis.Observation::rewritten)
                            .orElse(List.of()),
                    observation
                            .map(dev.migrator.core.analysis.Observation::rowsInserted)
                            .orElse(0L),
                    observation
                            .map(dev.migrator.core.analysis.Observation::rowsChanged)
                            .orElse(0L),
                    observation.map(o -> Finding.of(o.findings())).orElse(List.of()),
                    redact(step.error().orElse(null)));
        }
    }

    /**
     * A pending migration a rehearsal did not run.
     *
     * @param track its track
     * @param script its script or class
     * @param reason why
     */
    public record NotRehearsed(dev.migrator.core.Track track, String script, String reason) {}

    /**
     * A drift check: how the database's catalog differs from what its migrations build up to the
     * versions it recorded.
     *
     * @param drifted whether there is any difference
     * @param schemaVersion the schema version compared at, or {@code null} for none
     * @param dataVersion the data version compared at, or {@code null} for none
     * @param checkedAt when the database was read
     * @param differences the differences, ordered by kind and name
     * @since 0.4.0
     */
    public record Drift(
            boolean drifted,
            @Nullable String schemaVersion,
            @Nullable String dataVersion,
            Instant checkedAt,
            List<Difference> differences) {

        /** Copy the differences. */
        public Drift {
            differences = List.copyOf(differences);
        }

        /**
         * Describe a drift report.
         *
         * @param report the report
         * @return the description
         */
        public static Drift of(dev.migrator.core.DriftReport report) {
            return new Drift(
                    report.drifted(),
                    report.schemaVersion().orElse(null),
                    report.dataVersion().orElse(null),
                    report.checkedAt(),
                    report.differences().stream().map(Difference::of).toList());
        }
    }

    /**
     * One difference found by a drift check; definitions and description have passwords masked.
     *
     * @param kind the kind of object
     * @param name its qualified name
     * @param description the difference in one line
     * @param expected its definition as the migrations build it, or {@code null} when they do not make it
     * @param found its definition in the database, or {@code null} when the database lacks it
     * @since 0.4.0
     */
    public record Difference(
            dev.migrator.core.DriftReport.Kind kind,
            String name,
            String description,
            @Nullable String expected,
            @Nullable String found) {

        /** Mask credentials in the texts. */
        public Difference {
            description = Redactor.redact(description);
            expected = redact(expected);
            found = redact(found);
        }

        static Difference of(dev.migrator.core.DriftReport.Difference difference) {
            return new Difference(
                    difference.kind(),
                    difference.name(),
                    difference.description(),
                    difference.expected(),
                    difference.found());
        }
    }
}
