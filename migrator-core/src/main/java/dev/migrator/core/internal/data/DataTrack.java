package dev.migrator.core.internal.data;

import dev.migrator.core.BackfillProgress;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.HistoryEntry;
import dev.migrator.core.MigrationEntry;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Track;
import dev.migrator.core.data.DataMigration;
import dev.migrator.core.internal.Problem;
import dev.migrator.core.internal.jdbc.Connections;
import dev.migrator.core.internal.lock.Fence;
import dev.migrator.core.internal.resource.ResourceScanner;
import dev.migrator.core.internal.timeout.BlockerProbe;
import dev.migrator.core.internal.timeout.LockRetries;
import dev.migrator.core.internal.timeout.SessionTimeouts;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The data track: migrator's own engine for DML migrations in SQL files and Java classes, with its
 * own history table. It joins the three steps: resolution ({@link DataMigrationResolver}), state
 * ({@link DataTrackState}, a pure function) and execution ({@link DataSession}).
 */
public final class DataTrack {

    private final Connections connections;

    private final DataMigrationResolver resolver;

    private final List<String> locations;

    private final Optional<String> schema;

    private final String table;

    private final Batching batching;

    private final LockRetries retries;

    private final boolean analysis;

    private final String baselineVersion;

    private volatile @Nullable PostgresDataHistory history;

    public DataTrack(
            Connections connections,
            ResourceScanner scanner,
            List<String> locations,
            String prefix,
            Optional<String> schema,
            String table,
            Batching batching,
            Supplier<List<DataMigration>> javaMigrations,
            SessionTimeouts timeouts,
            BlockerProbe probe,
            boolean analysis,
            String baselineVersion) {
        this.analysis = analysis;
        this.baselineVersion = baselineVersion;
        this.retries = new LockRetries(timeouts, probe);
        this.connections = connections;
        this.resolver = new DataMigrationResolver(scanner, locations, prefix, javaMigrations);
        this.locations = List.copyOf(locations);
        this.schema = schema;
        this.table = table;
        this.batching = batching;
    }

    /**
     * Read where the track stands against a target.
     *
     * @throws MigratorException naming every problem found, when there is any
     */
    /**
     * Return the backfills with progress recorded, read on the given connection; empty when the
     * track is off or its tables do not exist yet.
     */
    public List<BackfillProgress> backfills(Connection connection) throws SQLException {
        return history(connection).backfills(connection);
    }

    /** Return the data history table and its progress table, quoted and qualified. */
    public List<String> tables(Connection connection) throws SQLException {
        PostgresDataHistory history = history(connection);
        return List.of(history.table(), history.progressTable());
    }

    public DataTrackState read(String target) {
        DataTrackState state = state(target);
        Problem.throwIfAny(state.problems());
        return state;
    }

    /** Return what is wrong with the data migrations against their history, one message per problem. */
    public List<String> validate(String target) {
        return state(target).problems().stream().map(Problem::message).toList();
    }

    private DataTrackState state(String target) {
        DataMigrationResolver.Resolution resolution = this.resolver.resolve();
        DataTrackState state = DataTrackState.of(
                resolution.migrations(),
                DataTrackState.withBaseline(historyRows(), this.baselineVersion),
                target,
                this.locations,
                this.connections.names());
        if (resolution.problems().isEmpty()) {
            return state;
        }
        List<Problem> problems = new ArrayList<>(resolution.problems());
        problems.addAll(state.problems());
        return new DataTrackState(state.pending(), state.failed(), state.current(), problems);
    }

    /** Return the applied (and failed) data migrations in the order they ran. */
    public List<HistoryEntry> history() {
        return historyRows().stream()
                .map(row -> new HistoryEntry(
                        Track.DATA,
                        row.installedRank(),
                        new MigrationEntry(row.version(), row.description(), row.script(), row.type()),
                        row.installedBy(),
                        row.installedOn(),
                        Duration.ofMillis(row.executionTimeMs()),
                        row.rowsAffected(),
                        row.success()))
                .toList();
    }

    private List<DataHistoryRow> historyRows() {
        try (Connection connection = this.connections.open()) {
            return history(connection).rows(connection);
        } catch (SQLException ex) {
            throw new MigratorException(
                    ErrorCode.CONNECTION,
                    "Could not read the data history table '" + this.table + "': '" + Connections.firstLine(ex) + "'.",
                    "Check that the migration user may read it.",
                    ex);
        }
    }

    /**
     * Open a session for applying migrations, with the history tables created if they are missing.
     * Runs under the cluster lock, whose fence every transaction of the session checks; the tables
     * are created behind that check too, so that a run which lost the lock without knowing it yet
     * cannot create them at the same moment as the run that took it over.
     */
    public DataSession session(Fence fence) {
        Connection connection = this.connections.open();
        try {
            PostgresDataHistory history = history(connection);
            SessionTimeouts.Profile original = SessionTimeouts.current(connection);
            connection.setAutoCommit(false);
            fence.check(connection);
            history.create(connection);
            baseline(connection, history);
            connection.commit();
            connection.setAutoCommit(true);
            // Last, so that a failure before leaves the pooled connection's settings as they were.
            int pid = SessionTimeouts.apply(connection, this.retries.timeouts().transactional(0), false);
            return new DataSession(
                    connection,
                    pid,
                    original,
                    history,
                    this.batching,
                    fence,
                    this.retries,
                    this.analysis,
                    undoChecker());
        } catch (SQLException | RuntimeException ex) {
            try {
                connection.close();
            } catch (SQLException closeFailure) {
                ex.addSuppressed(closeFailure);
            }
            if (!(ex instanceof SQLException sqlFailure)) {
                throw (RuntimeException) ex;
            }
            throw new MigratorException(
                    ErrorCode.MIGRATION,
                    "Could not create the data history table '" + this.table + "': '"
                            + Connections.firstLine(sqlFailure) + "' (SQL state " + sqlFailure.getSQLState() + ").",
                    "Grant the migration user CREATE on the schema, or create the table as its owner.",
                    sqlFailure);
        }
    }

    /**
     * Run a transactional data migration on a connection, in the connection's transaction, without
     * recording it: for a rehearsal, which rolls the transaction back.
     */
    public void rehearse(
            Connection connection, ResolvedDataMigration migration, Optional<String> schemaVersion, Fence fence)
            throws Exception {
        if (migration.sql().isPresent()) {
            try (java.sql.Statement statement = connection.createStatement()) {
                for (SqlScript.Statement sql : migration.sql().get().statements()) {
                    try {
                        statement.execute(sql.sql());
                    } catch (SQLException ex) {
                        throw new DataFailures.StatementFailure(sql.line(), ex);
                    }
                }
            }
            return;
        }
        migration
                .java()
                .orElseThrow()
                .migrate(new DataContext(
                        connection,
                        history(connection),
                        migration,
                        schemaVersion,
                        this.batching,
                        rows -> {},
                        fence,
                        this.retries,
                        0));
    }

    /** Return the data history rows in the order they were applied; empty when there is no table yet. */
    public List<DataHistoryRow> rows() {
        return historyRows();
    }

    /**
     * Record the configured baseline in an empty history, in the connection's transaction: the data
     * track of an existing database starts at it.
     */
    private void baseline(Connection connection, PostgresDataHistory history) throws SQLException {
        if (this.baselineVersion.isEmpty() || !history.rows(connection).isEmpty()) {
            return;
        }
        DataHistoryRow row = DataTrackState.baselineRow(this.baselineVersion);
        history.insert(
                connection, this.baselineVersion, row.description(), row.type(), row.script(), null, 0, null, true);
    }

    /**
     * Record the pending versioned data migrations up to a target as applied without running them:
     * for work done by hand. Runs under the cluster lock, whose fence its transaction checks.
     *
     * @param fence the run's fence
     * @param target the data version to mark up to, included
     * @return the migrations marked, in order
     * @throws MigratorException when the target is not a version or names no local migration, or the
     *     track has problems
     */
    public List<ResolvedDataMigration> markApplied(Fence fence, String target) {
        if (!dev.migrator.core.internal.VersionSyntax.isVersion(target)) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "Marking data migrations as applied needs the version to mark up to, and the data target is '"
                            + target + "'.",
                    "Set " + this.connections.names().quoted(dev.migrator.core.Setting.DATA_TARGET)
                            + " to the version whose work was done by hand, such as '3'.",
                    null);
        }
        List<ResolvedDataMigration> marked =
                read(target).pending().stream().filter(m -> !m.isRepeatable()).toList();
        try (Connection connection = this.connections.open()) {
            PostgresDataHistory history = history(connection);
            connection.setAutoCommit(false);
            try {
                fence.check(connection);
                history.create(connection);
                baseline(connection, history);
                for (ResolvedDataMigration migration : marked) {
                    history.insert(
                            connection,
                            migration.versionText().orElseThrow(),
                            migration.description(),
                            migration.type() + "_MARKED",
                            migration.script(),
                            migration.checksum().orElse(null),
                            0,
                            null,
                            true);
                }
                connection.commit();
            } catch (SQLException | RuntimeException ex) {
                connection.rollback();
                throw ex;
            }
        } catch (SQLException ex) {
            throw new MigratorException(
                    ErrorCode.MIGRATION,
                    "Could not record data migrations as applied in '" + this.table + "': '" + Connections.firstLine(ex)
                            + "' (SQL state " + ex.getSQLState() + ").",
                    "Check that the migration user may write the data history table; nothing was recorded.",
                    ex);
        }
        return marked;
    }

    /**
     * Return what tells whether a data migration has an undo: an undo script of its version, or an
     * {@code undo} method on its Java class (not one declared {@link dev.migrator.core.data.Irreversible}).
     */
    public java.util.function.Predicate<ResolvedDataMigration> undoChecker() {
        // The undo scripts are read once per session, at its first migration, only when the analysis asks.
        java.util.concurrent.atomic.AtomicReference<java.util.Set<org.flywaydb.core.api.MigrationVersion>> scripts =
                new java.util.concurrent.atomic.AtomicReference<>();
        return migration -> {
            if (scripts.get() == null) {
                scripts.set(this.resolver.undos().scripts().keySet());
            }
            if (migration.version().isPresent()
                    && scripts.get().contains(migration.version().get())) {
                return true;
            }
            return migration.java().isPresent()
                    && missingUndo(migration.java().get()).isEmpty();
        };
    }

    /**
     * Return why a Java data migration cannot be undone, or empty when its {@code undo} is written.
     *
     * @param migration the migration
     * @return the reason, such as {@code is declared irreversible: ...}
     */
    public static Optional<String> missingUndo(DataMigration migration) {
        dev.migrator.core.data.Irreversible declared =
                migration.getClass().getAnnotation(dev.migrator.core.data.Irreversible.class);
        if (declared != null) {
            return Optional.of("is declared irreversible: " + declared.value());
        }
        try {
            Class<?> owner = migration
                    .getClass()
                    .getMethod("undo", dev.migrator.core.data.DataMigrationContext.class)
                    .getDeclaringClass();
            return (owner == DataMigration.class)
                    ? Optional.of("has no undo (its class does not override undo(DataMigrationContext))")
                    : Optional.empty();
        } catch (NoSuchMethodException ex) {
            return Optional.of("has no undo");
        }
    }

    /** Return the local data migrations (SQL files and Java beans) that resolved. */
    public List<ResolvedDataMigration> local() {
        return this.resolver.resolve().migrations();
    }

    /**
     * Return the undo scripts of the data locations by the version they undo.
     *
     * @throws MigratorException naming every problem: an undo script without a version, two for one
     *     version, a malformed directive
     */
    public java.util.Map<org.flywaydb.core.api.MigrationVersion, ResolvedDataMigration> undoScripts() {
        DataMigrationResolver.Undos undos = this.resolver.undos();
        Problem.throwIfAny(undos.problems());
        return undos.scripts();
    }

    /**
     * Run the undo of one applied data migration on a connection, in the connection's transaction
     * when it has one: its undo script's statements, or its Java {@code undo}. The caller removes
     * its history row ({@link #forget}) and commits.
     *
     * @param connection the connection, in a transaction for a transactional undo
     * @param row the history row of the migration
     * @param undo the undo script, or the Java migration whose {@code undo} runs
     * @param fence the run's fence
     * @param pid the connection's server process, for the blockers of a backfill
     */
    public void undo(Connection connection, DataHistoryRow row, ResolvedDataMigration undo, Fence fence, int pid)
            throws Exception {
        if (undo.sql().isPresent()) {
            try (java.sql.Statement statement = connection.createStatement()) {
                for (SqlScript.Statement sql : undo.sql().get().statements()) {
                    if (!undo.transactional()) {
                        fence.ensureHeld();
                    }
                    try {
                        statement.execute(sql.sql());
                    } catch (SQLException ex) {
                        throw new DataFailures.StatementFailure(sql.line(), ex);
                    }
                }
            }
        } else {
            undo.java()
                    .orElseThrow()
                    .undo(new DataContext(
                            connection,
                            history(connection),
                            undo,
                            Optional.empty(),
                            this.batching,
                            rows -> {},
                            fence,
                            this.retries,
                            pid));
        }
    }

    /** Remove history rows (and the backfill progress of a version) in the connection's transaction. */
    public void forget(Connection connection, List<Integer> installedRanks, Optional<String> version)
            throws SQLException {
        PostgresDataHistory history = history(connection);
        history.delete(connection, installedRanks);
        if (version.isPresent()) {
            history.clearProgress(connection, version.get());
        }
    }

    /** Return the timeouts and retries of the data track's sessions. */
    public LockRetries retries() {
        return this.retries;
    }

    /** Describe the failure of a rehearsed data migration as a run would. */
    public static String failure(ResolvedDataMigration migration, Exception failure) {
        return DataFailures.failed(migration, failure).getMessage();
    }

    private PostgresDataHistory history(Connection connection) throws SQLException {
        PostgresDataHistory history = this.history;
        if (history == null) {
            String schemaName = this.schema.isPresent() ? this.schema.get() : Connections.currentSchema(connection);
            history = new PostgresDataHistory(schemaName, this.table);
            this.history = history;
        }
        return history;
    }
}
