package dev.migrator.core.internal.run;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigrationEntry;
import dev.migrator.core.MigratorException;
import dev.migrator.core.MigratorSettings;
import dev.migrator.core.Redactor;
import dev.migrator.core.Rehearsal;
import dev.migrator.core.RunOptions;
import dev.migrator.core.Track;
import dev.migrator.core.analysis.Observation;
import dev.migrator.core.analysis.Rule;
import dev.migrator.core.internal.analysis.Allowances;
import dev.migrator.core.internal.analysis.Analyzer;
import dev.migrator.core.internal.data.DataTrack;
import dev.migrator.core.internal.data.ResolvedDataMigration;
import dev.migrator.core.internal.data.SqlScript;
import dev.migrator.core.internal.jdbc.Connections;
import dev.migrator.core.internal.lock.ClusterLock;
import dev.migrator.core.internal.lock.Fence;
import dev.migrator.core.internal.resource.ResourceScanner;
import dev.migrator.core.internal.schema.SchemaTrack;
import dev.migrator.core.internal.timeout.SessionTimeouts;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rehearses the pending migrations: under the cluster lock, on one connection, in one transaction,
 * each transactional migration of both tracks in the order a run would take, observed by the change
 * analysis, and then the whole transaction rolled back. It writes no history and commits nothing.
 */
public final class Rehearser {

    private static final Logger logger = LoggerFactory.getLogger(Rehearser.class);

    private final MigratorSettings settings;

    private final SchemaTrack schema;

    private final DataTrack data;

    private final ClusterLock lock;

    private final Connections connections;

    private final SessionTimeouts timeouts;

    private final ResourceScanner scanner;

    public Rehearser(
            MigratorSettings settings,
            SchemaTrack schema,
            DataTrack data,
            ClusterLock lock,
            Connections connections,
            SessionTimeouts timeouts,
            ResourceScanner scanner) {
        this.settings = settings;
        this.schema = schema;
        this.data = data;
        this.lock = lock;
        this.connections = connections;
        this.timeouts = timeouts;
        this.scanner = scanner;
    }

    /** Rehearse the pending migrations up to the options' targets. */
    public Rehearsal rehearse(RunOptions options) {
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        try (ClusterLock.Held held = this.lock.acquire(options.lockWaitTimeout(this.settings))) {
            String schemaTarget = options.schemaTarget(this.settings);
            List<ResolvedDataMigration> dataPending = this.settings.dataEnabled()
                    ? this.data.read(options.dataTarget(this.settings)).pending()
                    : List.of();
            List<MigrationInfo> schemaPending = new ArrayList<>(this.schema.pendingMigrations(schemaTarget));
            RunPlan plan = RunPlan.of(
                    this.settings.dataOrdering(),
                    true,
                    this.schema.read(schemaTarget).versions(),
                    dataPending);
            Run run = new Run(held.fence());
            try (Connection connection = this.connections.open()) {
                connection.setAutoCommit(false);
                try {
                    prepare(connection);
                    for (RunPlan.Step step : plan.steps()) {
                        if (step instanceof RunPlan.SchemaTo schemaTo) {
                            List<MigrationInfo> due = schemaPending.stream()
                                    .filter(m -> upTo(m, schemaTo.version()))
                                    .toList();
                            schemaPending.removeAll(due);
                            for (MigrationInfo migration : due) {
                                schemaStep(run, connection, migration);
                            }
                        } else if (step instanceof RunPlan.ApplyData applyData) {
                            dataStep(run, connection, applyData);
                        }
                    }
                } finally {
                    run.observer.close();
                    connection.rollback();
                }
            } catch (SQLException ex) {
                throw new MigratorException(
                        ErrorCode.CONNECTION,
                        "Could not rehearse on the database: '" + Redactor.redact(Connections.firstLine(ex)) + "'.",
                        "Check the connection and start the rehearsal again; nothing was committed.",
                        ex);
            }
            Rehearsal rehearsal = new Rehearsal(
                    startedAt,
                    Duration.ofNanos(System.nanoTime() - start),
                    run.rehearsed,
                    run.skipped,
                    Optional.ofNullable(run.error));
            logger.info(
                    "Rehearsal {} in {} ms and rolled back: {} migration(s) rehearsed, {} not rehearsed",
                    rehearsal.succeeded() ? "succeeded" : "failed",
                    rehearsal.duration().toMillis(),
                    rehearsal.rehearsed().size(),
                    rehearsal.notRehearsed().size());
            return rehearsal;
        }
    }

    /** The state of one rehearsal. */
    private static final class Run {

        private final Fence fence;

        private final List<Rehearsal.Step> rehearsed = new ArrayList<>();

        private final List<Rehearsal.Skipped> skipped = new ArrayList<>();

        private @Nullable String error;

        private @Nullable Map<String, String> scripts;

        private java.util.@Nullable Set<MigrationVersion> schemaUndos;

        private java.util.function.@Nullable Predicate<ResolvedDataMigration> dataUndos;

        /** Every migration of a rehearsal shares its one transaction. */
        private final Analyzer.Session observer = new Analyzer.Session(true);

        Run(Fence fence) {
            this.fence = fence;
        }
    }

    private void prepare(Connection connection) throws SQLException {
        // The timeouts of a migration's first try, for this transaction only: a rehearsal takes the
        // same locks as the run, on the same tables the service uses.
        SessionTimeouts.apply(connection, this.timeouts.transactional(0), true);
        Optional<String> schemaName = this.settings.defaultSchema();
        if (schemaName.isPresent()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL search_path TO " + Connections.quoteIdentifier(schemaName.get()));
            }
        }
    }

    private void schemaStep(Run run, Connection connection, MigrationInfo migration) {
        MigrationEntry entry = SchemaTrack.entry(migration);
        String name = SchemaTrack.fileName(migration.getScript(), migration.getDescription());
        if (skipped(run, Track.SCHEMA, entry, SchemaTrack.transactional(migration))) {
            return;
        }
        String sql = scripts(run).get(migration.getScript());
        SqlScript script = (sql == null) ? null : Analyzer.parse(name, sql);
        Map<Rule, String> allowed = (sql == null) ? Map.of() : Allowances.of(name, sql);
        step(
                run,
                connection,
                Track.SCHEMA,
                entry,
                name,
                allowed,
                script,
                (migration.getVersion() != null && !schemaUndos(run).contains(migration.getVersion()))
                        ? migration.getVersion().getVersion()
                        : null,
                () -> this.schema.execute(migration, connection));
    }

    private java.util.Set<MigrationVersion> schemaUndos(Run run) {
        if (run.schemaUndos == null) {
            run.schemaUndos = this.schema.undoScripts().keySet();
        }
        return run.schemaUndos;
    }

    private boolean hasDataUndo(Run run, ResolvedDataMigration migration) {
        if (run.dataUndos == null) {
            run.dataUndos = this.data.undoChecker();
        }
        return run.dataUndos.test(migration);
    }

    private void dataStep(Run run, Connection connection, RunPlan.ApplyData applyData) {
        ResolvedDataMigration migration = applyData.migration();
        if (skipped(run, Track.DATA, migration.entry(), migration.transactional())) {
            return;
        }
        Map<Rule, String> allowed = migration.sql().isPresent()
                ? Allowances.of(migration.script(), migration.sql().get().text())
                : Allowances.of(migration.java().orElseThrow().getClass());
        step(
                run,
                connection,
                Track.DATA,
                migration.entry(),
                migration.script(),
                allowed,
                migration.sql().orElse(null),
                (migration.versionText().isPresent() && !hasDataUndo(run, migration))
                        ? migration.versionText().get()
                        : null,
                () -> {
                    try {
                        this.data.rehearse(
                                connection,
                                migration,
                                applyData.schemaVersion().map(MigrationVersion::getVersion),
                                run.fence);
                    } catch (SQLException | RuntimeException ex) {
                        throw ex;
                    } catch (Exception ex) {
                        throw new SQLException(DataTrack.failure(migration, ex), ex);
                    }
                });
    }

    /** Record a migration the rehearsal cannot run, and say so; return whether it was skipped. */
    private static boolean skipped(Run run, Track track, MigrationEntry entry, boolean transactional) {
        if (run.error != null) {
            run.skipped.add(new Rehearsal.Skipped(track, entry, "an earlier migration failed in the rehearsal"));
            return true;
        }
        if (!transactional) {
            run.skipped.add(new Rehearsal.Skipped(
                    track,
                    entry,
                    "it runs outside a transaction (CREATE INDEX CONCURRENTLY or -- migrator:no-transaction), so a"
                            + " rehearsal could not roll it back; migrations after it that need what it creates may"
                            + " fail here"));
            return true;
        }
        return false;
    }

    @FunctionalInterface
    private interface Work {

        void run() throws SQLException;
    }

    private void step(
            Run run,
            Connection connection,
            Track track,
            MigrationEntry entry,
            String name,
            Map<Rule, String> allowed,
            @Nullable SqlScript script,
            @Nullable String withoutUndo,
            Work work) {
        long start = System.nanoTime();
        try {
            Analyzer.Before before = run.observer.before(connection, allowed, script, true);
            if (withoutUndo != null) {
                before.withoutUndo(withoutUndo);
            }
            work.run();
            Observation observation = run.observer.observe(before, connection, name);
            run.rehearsed.add(new Rehearsal.Step(
                    track,
                    entry,
                    Duration.ofNanos(System.nanoTime() - start),
                    Optional.of(observation),
                    Optional.empty()));
        } catch (SQLException | RuntimeException ex) {
            SQLException cause = Connections.findSqlException(ex);
            String error = name + ": " + Redactor.redact(Connections.firstLine((cause != null) ? cause : ex))
                    + ((cause != null && cause.getSQLState() != null)
                            ? " (SQL state " + cause.getSQLState() + ")"
                            : "");
            run.error = error;
            run.rehearsed.add(new Rehearsal.Step(
                    track, entry, Duration.ofNanos(System.nanoTime() - start), Optional.empty(), Optional.of(error)));
        }
    }

    private Map<String, String> scripts(Run run) {
        if (run.scripts == null) {
            run.scripts = this.scanner.readAll(this.settings.schemaLocations(), ".sql");
        }
        return run.scripts;
    }

    private static boolean upTo(MigrationInfo migration, Optional<MigrationVersion> version) {
        // Repeatable migrations come with the last step, as in a run.
        return version.isEmpty()
                || (migration.getVersion() != null && migration.getVersion().compareTo(version.get()) <= 0);
    }
}
