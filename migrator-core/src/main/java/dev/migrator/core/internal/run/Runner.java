package dev.migrator.core.internal.run;

import dev.migrator.core.AppliedMigration;
import dev.migrator.core.DataOrdering;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigrationFailedException;
import dev.migrator.core.MigratorException;
import dev.migrator.core.MigratorSettings;
import dev.migrator.core.RunOptions;
import dev.migrator.core.RunReport;
import dev.migrator.core.Setting;
import dev.migrator.core.SettingNames;
import dev.migrator.core.internal.data.DataSession;
import dev.migrator.core.internal.data.DataTrack;
import dev.migrator.core.internal.data.ResolvedDataMigration;
import dev.migrator.core.internal.lock.ClusterLock;
import dev.migrator.core.internal.lock.Fence;
import dev.migrator.core.internal.schema.SchemaTrack;
import dev.migrator.core.lock.LockLostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.api.MigrationVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Executes runs: takes the cluster lock, plans against the database as it is then, applies the plan. */
public final class Runner {

    private static final Logger logger = LoggerFactory.getLogger(Runner.class);

    private final MigratorSettings settings;

    private final SettingNames names;

    private final SchemaTrack schema;

    private final DataTrack data;

    private final ClusterLock lock;

    public Runner(MigratorSettings settings, SettingNames names, SchemaTrack schema, DataTrack data, ClusterLock lock) {
        this.settings = settings;
        this.names = names;
        this.schema = schema;
        this.data = data;
        this.lock = lock;
    }

    /**
     * Run the given phases under the cluster lock.
     *
     * @param options the targets and lock wait of this run
     * @param schemaPhase whether the schema track runs (with by-version ordering, both tracks do)
     * @param dataPhase whether the data track runs
     * @return the report
     * @throws MigrationFailedException when the run fails, carrying what it applied before
     */
    public RunReport run(RunOptions options, boolean schemaPhase, boolean dataPhase) {
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        List<AppliedMigration> schemaApplied = new ArrayList<>();
        List<AppliedMigration> dataApplied = new ArrayList<>();
        try {
            if (schemaPhase ? !dataPhase && schemaNothingToApply(options) : nothingToApply(options)) {
                return succeeded(startedAt, start, schemaApplied, dataApplied);
            }
            try (ClusterLock.Held held = this.lock.acquire(options.lockWaitTimeout(this.settings))) {
                try {
                    runHolding(held.fence(), options, schemaPhase, dataPhase, schemaApplied, dataApplied);
                } catch (MigratorException ex) {
                    throw lostLockFirst(held.fence(), ex);
                }
            }
            return succeeded(startedAt, start, schemaApplied, dataApplied);
        } catch (MigratorException ex) {
            MigratorException failure =
                    (ex instanceof LockLostException lost) ? withCommitted(lost, schemaApplied, dataApplied) : ex;
            RunReport report = new RunReport(
                    startedAt,
                    elapsedSince(start),
                    RunReport.Outcome.FAILED,
                    schemaApplied,
                    dataApplied,
                    Optional.of(failure.getMessage()));
            throw new MigrationFailedException(failure, report);
        }
    }

    /**
     * Return whether a data-only run has nothing to apply, read without the lock: the data history as
     * committed then. A run that applies migrations only adds rows to it, so a data track with nothing
     * pending stays so, and the run needs neither the lock nor a wait for it (an undo removes rows; a
     * read just before its commit is one a locked run could have made before the undo took the lock).
     * That is the data phase of every start but the first one after a release; the read is the one a
     * locked run makes first, with the same validation. When something is pending, the locked run
     * reads again: what it applies must be what is pending under the lock.
     */
    private boolean nothingToApply(RunOptions options) {
        return !this.settings.dataEnabled()
                || this.data.read(options.dataTarget(this.settings)).pending().isEmpty();
    }

    /**
     * Return whether a schema-only run has nothing to apply, read without the lock, as
     * {@link SchemaTrack#nothingToApply(String)} decides it: the schema phase of every start but the
     * first after a release. Not with data migrations ordered by version, which a schema run also
     * applies.
     */
    private boolean schemaNothingToApply(RunOptions options) {
        boolean dataToo = this.settings.dataEnabled() && this.settings.dataOrdering() == DataOrdering.BY_VERSION;
        return !dataToo && this.schema.nothingToApply(options.schemaTarget(this.settings));
    }

    private static RunReport succeeded(
            Instant startedAt, long start, List<AppliedMigration> schemaApplied, List<AppliedMigration> dataApplied) {
        RunReport report = new RunReport(
                startedAt,
                elapsedSince(start),
                RunReport.Outcome.SUCCESS,
                schemaApplied,
                dataApplied,
                Optional.empty());
        logger.info(
                "Migration run succeeded in {} ms: {} schema and {} data migration(s) applied",
                report.duration().toMillis(),
                schemaApplied.size(),
                dataApplied.size());
        return report;
    }

    private void runHolding(
            Fence fence,
            RunOptions options,
            boolean schemaPhase,
            boolean dataPhase,
            List<AppliedMigration> schemaApplied,
            List<AppliedMigration> dataApplied) {
        String schemaTarget = options.schemaTarget(this.settings);
        boolean byVersion = schemaPhase && this.settings.dataOrdering() == DataOrdering.BY_VERSION;
        boolean dataRuns = this.settings.dataEnabled() && (dataPhase || byVersion);
        List<ResolvedDataMigration> dataPending =
                dataRuns ? this.data.read(options.dataTarget(this.settings)).pending() : List.of();
        if (dataPending.isEmpty()) {
            // The common case at startup: no schema versions to read for planning.
            if (schemaPhase) {
                schemaApplied.addAll(this.schema.migrate(schemaTarget, fence, schemaApplied::addAll));
            }
        } else if (schemaPhase && !byVersion && this.schema.enabled()) {
            // Schema first, then data: the data track plans against the version Flyway's own run
            // reached, without reading the schema track once more before it.
            SchemaTrack.Migrated migrated = this.schema.migrateTo(schemaTarget, fence, schemaApplied::addAll);
            schemaApplied.addAll(migrated.applied());
            RunPlan plan = RunPlan.of(false, false, migrated.version(), List.of(), dataPending);
            execute(plan, schemaTarget, fence, schemaApplied, dataApplied);
        } else {
            RunPlan plan = RunPlan.of(
                    this.settings.dataOrdering(),
                    schemaPhase,
                    this.schema.read(schemaTarget).versions(),
                    dataPending);
            execute(plan, schemaTarget, fence, schemaApplied, dataApplied);
        }
    }

    /**
     * Tell a failure of a run that lost its lock as the lost lock. Until the watcher sees the loss,
     * such a run works beside the run that took the lock over, and can fail on what that run does
     * (a table both create): the cause is the lost lock, and the next step is to start again, not to
     * fix the migration. The failure stays attached as the cause.
     */
    private static MigratorException lostLockFirst(Fence fence, MigratorException failure) {
        if (failure instanceof LockLostException || fence.confirmHeld()) {
            return failure;
        }
        try {
            fence.ensureHeld();
        } catch (LockLostException lost) {
            return new LockLostException(
                    lost.description() + " Before it stopped, the run failed: " + failure.description(),
                    lost.action(),
                    failure);
        }
        return failure;
    }

    /** Say what a run that lost its lock committed before it stopped. */
    private static LockLostException withCommitted(
            LockLostException lost, List<AppliedMigration> schemaApplied, List<AppliedMigration> dataApplied) {
        String committed = "Committed by this run before it stopped: "
                + ((schemaApplied.isEmpty() && dataApplied.isEmpty())
                        ? "no migration"
                        : describe("schema", schemaApplied) + "; " + describe("data", dataApplied))
                + ". Committed batches of a backfill stay, and the next run resumes after the last of them.";
        return new LockLostException(lost.description() + " " + committed, lost.action(), lost.getCause());
    }

    private static String describe(String track, List<AppliedMigration> applied) {
        return applied.size() + " " + track + " migration(s)"
                + (applied.isEmpty()
                        ? ""
                        : " "
                                + applied.stream()
                                        .map(a -> a.migration().script())
                                        .toList());
    }

    private void execute(
            RunPlan plan,
            String schemaTarget,
            Fence fence,
            List<AppliedMigration> schemaApplied,
            List<AppliedMigration> dataApplied) {
        DataSession session = null;
        try {
            for (RunPlan.Step step : plan.steps()) {
                if (step instanceof RunPlan.SchemaTo schemaTo) {
                    String target =
                            schemaTo.version().map(MigrationVersion::getVersion).orElse(schemaTarget);
                    schemaApplied.addAll(this.schema.migrate(target, fence, schemaApplied::addAll));
                    if (session != null) {
                        session.otherWorkRan();
                    }
                } else if (step instanceof RunPlan.ApplyData applyData) {
                    fence.ensureHeld();
                    if (session == null) {
                        session = this.data.session(fence);
                    }
                    dataApplied.add(applyData(session, applyData.migration(), applyData.schemaVersion()));
                }
            }
        } finally {
            if (session != null) {
                session.close();
            }
        }
        for (ResolvedDataMigration migration : plan.waiting()) {
            logger.warn(
                    "Data migration {} waits for schema {}, which the schema target does not reach; it stays pending",
                    migration.script(),
                    migration.afterSchema().map(MigrationVersion::getVersion).orElse("?"));
        }
    }

    private AppliedMigration applyData(
            DataSession session, ResolvedDataMigration migration, Optional<MigrationVersion> schemaVersion) {
        try {
            return session.apply(migration, schemaVersion.map(MigrationVersion::getVersion));
        } catch (MigratorException ex) {
            boolean olderThanSchema = this.settings.dataOrdering() == DataOrdering.AFTER_SCHEMA
                    && migration.version().isPresent()
                    && schemaVersion.isPresent()
                    && migration.version().get().compareTo(schemaVersion.get()) < 0;
            if (!olderThanSchema || ex.code() != ErrorCode.MIGRATION) {
                throw ex;
            }
            // The classic cause: a data migration written for the schema of its version, run after later DDL.
            String ordering = this.names.setting(Setting.DATA_ORDERING);
            throw new MigratorException(
                    ex.code(),
                    ex.description(),
                    ex.action() + " Note: it has version "
                            + migration.version().get().getVersion()
                            + " but ran after every schema migration (schema is at "
                            + schemaVersion.get().getVersion()
                            + ", " + ordering + "=after-schema); if it was written for the schema of its"
                            + " version, set " + ordering + "=by-version.",
                    ex.getCause());
        }
    }

    private static Duration elapsedSince(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
