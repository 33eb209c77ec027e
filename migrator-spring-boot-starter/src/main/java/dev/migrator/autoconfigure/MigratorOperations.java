package dev.migrator.autoconfigure;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigrationFailedException;
import dev.migrator.core.MigrationStatus;
import dev.migrator.core.Migrator;
import dev.migrator.core.MigratorException;
import dev.migrator.core.RunReport;
import dev.migrator.core.check.CheckResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;

/**
 * What operators act through: runs migrations with a trigger, remembers the last run and the last
 * check results, and publishes a {@link MigrationRunEvent} after every run. The startup
 * initializers, the actuator endpoint and command mode all go through it.
 *
 * @since 0.1.0
 */
public class MigratorOperations {

    private final Migrator migrator;

    private final ApplicationEventPublisher events;

    private final boolean autoRun;

    private volatile @Nullable LastRun lastRun;

    private volatile @Nullable List<CheckResult> checks;

    /**
     * Create the operations.
     *
     * @param migrator the migrator
     * @param events where run events go
     * @param autoRun whether startup migrates
     */
    public MigratorOperations(Migrator migrator, ApplicationEventPublisher events, boolean autoRun) {
        this.migrator = migrator;
        this.events = events;
        this.autoRun = autoRun;
    }

    /**
     * Return the migrator.
     *
     * @return the migrator, never {@code null}
     */
    public Migrator migrator() {
        return this.migrator;
    }

    /**
     * Return whether startup migrates ({@code migrator.auto-run}).
     *
     * @return {@code true} when startup migrates
     */
    public boolean isAutoRun() {
        return this.autoRun;
    }

    /**
     * Run both tracks now, optionally to other targets, then the checks.
     *
     * @param trigger what started the run, for example {@code endpoint}
     * @param schemaTarget the schema target, or {@code null} for the configured one
     * @param dataTarget the data target, or {@code null} for the configured one
     * @return the report of the run
     * @throws MigrationFailedException when the run fails; it is recorded and published first
     */
    public RunReport migrate(String trigger, @Nullable String schemaTarget, @Nullable String dataTarget) {
        return migrate(
                trigger, schemaTarget, dataTarget, this.migrator.settings().lockWaitTimeout());
    }

    /**
     * Run both tracks now like {@link #migrate(String, String, String)}, waiting at most the given
     * time for the cluster lock instead of {@code migrator.lock.wait-timeout}: for a run triggered by
     * hand that should give up quickly when another run is under way.
     *
     * @param trigger what started the run, for example {@code endpoint}
     * @param schemaTarget the schema target, or {@code null} for the configured one
     * @param dataTarget the data target, or {@code null} for the configured one
     * @param lockWaitTimeout the longest wait for the cluster lock
     * @return the report of the run
     * @throws MigratorException when a target is malformed; nothing is run or recorded then
     * @throws MigrationFailedException when the run fails (its cause is a {@link
     *     dev.migrator.core.lock.LockTimeoutException} when the lock was not obtained in time). A run
     *     refused before it changed anything (the lock held by another run, a target that names no
     *     migration) is not recorded as this instance's last run; any other failure is recorded and
     *     published first
     */
    public RunReport migrate(
            String trigger, @Nullable String schemaTarget, @Nullable String dataTarget, Duration lockWaitTimeout) {
        Migrator target = lockWaitTimeout.equals(this.migrator.settings().lockWaitTimeout())
                ? this.migrator
                : this.migrator.withLockWaitTimeout(lockWaitTimeout);
        if (schemaTarget != null || dataTarget != null) {
            target = target.withTargets(schemaTarget, dataTarget);
        }
        RunReport report;
        try {
            report = target.migrate();
        } catch (MigrationFailedException ex) {
            if (!refused(ex)) {
                record(trigger, ex.report());
            }
            throw ex;
        }
        record(trigger, report);
        runChecks();
        return report;
    }

    /** Whether a run failed before it could change anything, so the database is as it was. */
    private static boolean refused(MigrationFailedException ex) {
        boolean nothingApplied = ex.report().schemaApplied().isEmpty()
                && ex.report().dataApplied().isEmpty();
        return nothingApplied && (ex.code() == ErrorCode.LOCK_TIMEOUT || ex.code() == ErrorCode.CONFIGURATION);
    }

    /**
     * Run the schema phase of startup. Its report is published with the data phase's, as one
     * startup run, unless it fails.
     */
    RunReport migrateSchemaAtStartup() {
        try {
            RunReport report = this.migrator.migrateSchema();
            this.lastRun = new LastRun("startup", report);
            return report;
        } catch (MigrationFailedException ex) {
            record("startup", ex.report());
            throw ex;
        }
    }

    /** Run the data phase of startup and publish the whole startup run (both phases) once. */
    RunReport migrateDataAtStartup() {
        RunReport schemaPhase = startupSchemaPhase();
        RunReport report;
        try {
            report = merge(schemaPhase, this.migrator.migrateData());
        } catch (MigrationFailedException ex) {
            record("startup", merge(schemaPhase, ex.report()));
            throw ex;
        }
        record("startup", report);
        return report;
    }

    /** Publish the startup run when there is no data phase to finish it. */
    void finishStartupWithoutData() {
        RunReport schemaPhase = startupSchemaPhase();
        if (schemaPhase != null) {
            record("startup", schemaPhase);
        }
    }

    private @Nullable RunReport startupSchemaPhase() {
        LastRun last = this.lastRun;
        return (last != null && "startup".equals(last.trigger())) ? last.report() : null;
    }

    private void record(String trigger, RunReport report) {
        this.lastRun = new LastRun(trigger, report);
        // Results of checks from before this run no longer describe the database.
        this.checks = null;
        this.events.publishEvent(new MigrationRunEvent(this, trigger, report));
    }

    private static RunReport merge(@Nullable RunReport earlier, RunReport later) {
        if (earlier == null) {
            return later;
        }
        List<dev.migrator.core.AppliedMigration> schema = new ArrayList<>(earlier.schemaApplied());
        schema.addAll(later.schemaApplied());
        List<dev.migrator.core.AppliedMigration> data = new ArrayList<>(earlier.dataApplied());
        data.addAll(later.dataApplied());
        // The time spent migrating, not the application's startup between the two phases.
        Duration duration = earlier.duration().plus(later.duration());
        return new RunReport(earlier.startedAt(), duration, later.outcome(), schema, data, later.error());
    }

    /**
     * Return the last run of this instance.
     *
     * @return the last run, empty before the first one (for example with auto-run off)
     */
    public Optional<LastRun> lastRun() {
        return Optional.ofNullable(this.lastRun);
    }

    /**
     * Return the results of the checks since the last run, running them if they have not run yet.
     *
     * @return the check results
     */
    public List<CheckResult> checks() {
        List<CheckResult> checks = this.checks;
        return (checks != null) ? checks : runChecks();
    }

    /**
     * Run the checks now and keep their results.
     *
     * @return the check results
     */
    public List<CheckResult> runChecks() {
        List<CheckResult> checks = List.copyOf(this.migrator.check());
        this.checks = checks;
        return checks;
    }

    /**
     * Describe where the database stands now: the status of both tracks (read fresh), the lock, the
     * last run and the check results (those since the last run).
     *
     * @return the description
     */
    public MigrationsDescriptor describe() {
        MigrationsDescriptor.Lock lock = MigrationsDescriptor.Lock.of(this.migrator.lockHolder());
        MigrationsDescriptor.LastRun last =
                lastRun().map(MigrationsDescriptor.LastRun::of).orElse(null);
        MigrationStatus status;
        try {
            status = this.migrator.status();
        } catch (MigratorException ex) {
            List<MigrationsDescriptor.Check> checks = List.of();
            return new MigrationsDescriptor(
                    ex.code() == ErrorCode.VALIDATION
                            ? MigrationsDescriptor.Status.INVALID
                            : MigrationsDescriptor.Status.FAILED,
                    this.autoRun,
                    null,
                    null,
                    lock,
                    last,
                    checks,
                    ex.getMessage());
        }
        List<CheckResult> checks = checks();
        return new MigrationsDescriptor(
                overall(status, checks),
                this.autoRun,
                MigrationsDescriptor.Track.of(status.schema()),
                MigrationsDescriptor.Track.of(status.data()),
                lock,
                last,
                checks.stream().map(MigrationsDescriptor.Check::of).toList(),
                null);
    }

    private MigrationsDescriptor.Status overall(MigrationStatus status, List<CheckResult> checks) {
        boolean invalid = checks.stream().anyMatch(c -> !c.passed() && c.name().equals("checksums-valid"));
        if (invalid) {
            return MigrationsDescriptor.Status.INVALID;
        }
        boolean lastRunFailed = lastRun()
                .map(run -> run.report().outcome() == RunReport.Outcome.FAILED)
                .orElse(false);
        // Whether work is pending is read fresh; the built-in at-target checks may be older.
        boolean checkFailed = checks.stream()
                .anyMatch(c -> !c.passed()
                        && !c.name().equals("schema-at-target")
                        && !c.name().equals("data-at-target"));
        if (lastRunFailed
                || checkFailed
                || !status.schema().failed().isEmpty()
                || !status.data().failed().isEmpty()) {
            return MigrationsDescriptor.Status.FAILED;
        }
        if (!status.schema().pending().isEmpty() || !status.data().pending().isEmpty()) {
            return MigrationsDescriptor.Status.PENDING;
        }
        return MigrationsDescriptor.Status.UP_TO_DATE;
    }

    /**
     * The last run of this instance.
     *
     * @param trigger what started it: {@code startup}, {@code endpoint} or {@code command}
     * @param report its report
     * @since 0.1.0
     */
    public record LastRun(String trigger, RunReport report) {}
}
