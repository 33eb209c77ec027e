package dev.migrator.autoconfigure.operations;

import dev.migrator.autoconfigure.descriptor.MigrationsDescriptor;
import dev.migrator.autoconfigure.descriptor.Trigger;
import dev.migrator.core.AppliedMigration;
import dev.migrator.core.DriftReport;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigrationFailedException;
import dev.migrator.core.MigrationStatus;
import dev.migrator.core.Migrator;
import dev.migrator.core.MigratorException;
import dev.migrator.core.RunOptions;
import dev.migrator.core.RunReport;
import dev.migrator.core.check.BuiltInCheck;
import dev.migrator.core.check.CheckResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;

/**
 * What operators act through: runs migrations with a trigger, remembers the last run, the last
 * check results and the last drift report, and publishes a {@link MigrationRunEvent} after every run. The startup
 * initializers, the actuator endpoint and command mode all go through it.
 *
 * @since 0.1.0
 */
public class MigratorOperations {

    private final Migrator migrator;

    private final ApplicationEventPublisher events;

    private final boolean autoRun;

    private final String name;

    private volatile @Nullable LastRun lastRun;

    private volatile @Nullable List<CheckResult> checks;

    private volatile @Nullable DriftReport lastDrift;

    /**
     * Create the operations.
     *
     * @param migrator the migrator
     * @param events where run events go
     * @param autoRun whether startup migrates
     */
    public MigratorOperations(Migrator migrator, ApplicationEventPublisher events, boolean autoRun) {
        this(MigrationSets.DEFAULT, migrator, events, autoRun);
    }

    /**
     * Create the operations of a migration set.
     *
     * @param name the set's name, {@value MigrationSets#DEFAULT} for the default set
     * @param migrator the set's migrator
     * @param events where run events go
     * @param autoRun whether startup migrates
     */
    public MigratorOperations(String name, Migrator migrator, ApplicationEventPublisher events, boolean autoRun) {
        this.name = name;
        this.migrator = migrator;
        this.events = events;
        this.autoRun = autoRun;
    }

    /**
     * Return the name of the migration set these operations work on.
     *
     * @return the name, {@value MigrationSets#DEFAULT} for the default set
     */
    public String name() {
        return this.name;
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
     * Run both tracks now with the given options, then the checks.
     *
     * @param trigger what started the run
     * @param options the targets and lock wait of the run; {@link RunOptions#defaults()} for the
     *     configured ones
     * @return the report of the run
     * @throws MigrationFailedException when the run fails (its cause is a {@link
     *     dev.migrator.core.lock.LockTimeoutException} when the lock was not obtained in time). A run
     *     refused before it changed anything (the lock held by another run, a target that names no
     *     migration) is not recorded as this instance's last run; any other failure is recorded and
     *     published first
     */
    public RunReport migrate(Trigger trigger, RunOptions options) {
        RunReport report;
        try {
            report = this.migrator.migrate(options);
        } catch (MigrationFailedException ex) {
            if (!refused(ex)) {
                record(trigger, ex.report());
            }
            throw named(ex);
        }
        record(trigger, report);
        runChecks();
        return report;
    }

    /** Whether a run failed before it could change anything, so the database is as it was. */
    private static boolean refused(MigrationFailedException ex) {
        boolean nothingApplied = ex.report().schemaApplied().isEmpty()
                && ex.report().dataApplied().isEmpty();
        return nothingApplied
                && (ex.code() == ErrorCode.LOCK_TIMEOUT
                        || ex.code() == ErrorCode.CONFIGURATION
                        || ex.code() == ErrorCode.UNSUPPORTED_CONNECTION);
    }

    /**
     * Run the schema phase of startup. Its report is published with the data phase's, as one
     * startup run, unless it fails.
     */
    public RunReport migrateSchemaAtStartup() {
        try {
            RunReport report = this.migrator.migrateSchema();
            this.lastRun = new LastRun(Trigger.STARTUP, report);
            return report;
        } catch (MigrationFailedException ex) {
            record(Trigger.STARTUP, ex.report());
            throw named(ex);
        }
    }

    /** Run the data phase of startup and publish the whole startup run (both phases) once. */
    public RunReport migrateDataAtStartup() {
        RunReport schemaPhase = startupSchemaPhase();
        RunReport report;
        try {
            report = merge(schemaPhase, this.migrator.migrateData());
        } catch (MigrationFailedException ex) {
            record(Trigger.STARTUP, merge(schemaPhase, ex.report()));
            throw named(ex);
        }
        record(Trigger.STARTUP, report);
        return report;
    }

    /** Publish the startup run when there is no data phase to finish it. */
    public void finishStartupWithoutData() {
        RunReport schemaPhase = startupSchemaPhase();
        if (schemaPhase != null) {
            record(Trigger.STARTUP, schemaPhase);
        }
    }

    private @Nullable RunReport startupSchemaPhase() {
        LastRun last = this.lastRun;
        return (last != null && last.trigger() == Trigger.STARTUP) ? last.report() : null;
    }

    private void record(Trigger trigger, RunReport report) {
        this.lastRun = new LastRun(trigger, report);
        // Results of checks from before this run no longer describe the database.
        this.checks = null;
        this.events.publishEvent(new MigrationRunEvent(this, trigger, report));
    }

    /**
     * Name the set in a failure of a set other than the default one, so that the message says
     * which of the service's sets failed; the default set's messages stay as they are.
     *
     * @param failure the failure
     * @return the failure naming the set
     */
    public MigratorException named(MigratorException failure) {
        if (MigrationSets.DEFAULT.equals(this.name)) {
            return failure;
        }
        MigratorException named = new MigratorException(
                failure.code(),
                "Migration set '" + this.name + "': " + failure.description(),
                failure.action(),
                failure);
        return (failure instanceof MigrationFailedException run)
                ? new MigrationFailedException(named, run.report())
                : named;
    }

    static RunReport merge(@Nullable RunReport earlier, RunReport later) {
        if (earlier == null) {
            return later;
        }
        List<AppliedMigration> schema = new ArrayList<>(earlier.schemaApplied());
        schema.addAll(later.schemaApplied());
        List<AppliedMigration> data = new ArrayList<>(earlier.dataApplied());
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
     * Check the database for drift now and keep the report: build the migrations up to the versions
     * the database recorded in a scratch database beside it (created with the migration login, which
     * needs {@code CREATEDB}, and dropped afterwards) and compare both catalogs. Changes nothing in the
     * database.
     *
     * @return the report, which {@link #lastDrift()} returns from now on
     * @throws MigratorException when the scratch database cannot be created or the comparison fails;
     *     the last drift report stays as it was
     * @since 0.4.0
     */
    public DriftReport drift() {
        try (ScratchDatabase scratch = ScratchDatabase.open(
                this.migrator.dataSource(),
                "migrator_drift_",
                "drift builds the migrations in",
                "build the migrations in an empty database yourself and call Migrator.drift(DataSource) with it")) {
            DriftReport report = this.migrator.drift(scratch.dataSource());
            this.lastDrift = report;
            return report;
        } catch (MigratorException ex) {
            throw named(ex);
        }
    }

    /**
     * Return the last drift report of this instance.
     *
     * @return the report of the last {@link #drift()}, empty when none was run
     * @since 0.4.0
     */
    public Optional<DriftReport> lastDrift() {
        return Optional.ofNullable(this.lastDrift);
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
     * last run, the last drift report and the check results (those since the last run).
     *
     * @return the description
     */
    public MigrationsDescriptor describe() {
        MigrationsDescriptor.Lock lock = MigrationsDescriptor.Lock.of(this.migrator.lockHolder());
        MigrationsDescriptor.LastRun last =
                lastRun().map(MigratorOperations.LastRun::describe).orElse(null);
        MigrationsDescriptor.Drift drift =
                lastDrift().map(MigrationsDescriptor.Drift::of).orElse(null);
        MigrationStatus status;
        try {
            status = this.migrator.status();
        } catch (MigratorException ex) {
            return MigrationsDescriptor.unreadable(ex, this.autoRun, lock, last).withDrift(drift);
        }
        List<CheckResult> checks = checks();
        return MigrationsDescriptor.of(overall(status, checks), this.autoRun, status, lock, last, checks)
                .withDrift(drift);
    }

    private MigrationsDescriptor.Status overall(MigrationStatus status, List<CheckResult> checks) {
        boolean invalid = checks.stream().anyMatch(c -> !c.passed() && c.is(BuiltInCheck.CHECKSUMS_VALID));
        if (invalid) {
            return MigrationsDescriptor.Status.INVALID;
        }
        boolean lastRunFailed = lastRun()
                .map(run -> run.report().outcome() == RunReport.Outcome.FAILED)
                .orElse(false);
        // Whether work is pending is read fresh; the built-in at-target checks may be older.
        boolean checkFailed = checks.stream()
                .anyMatch(c -> !c.passed()
                        && !c.builtIn().map(BuiltInCheck::isAtTarget).orElse(false));
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
     * @param trigger what started it
     * @param report its report
     * @since 0.1.0
     */
    public record LastRun(Trigger trigger, RunReport report) {

        /**
         * Describe this run in the endpoint's shape.
         *
         * @return the description
         */
        public MigrationsDescriptor.LastRun describe() {
            return MigrationsDescriptor.LastRun.of(this.trigger, this.report);
        }
    }
}
