package dev.migrator.core.internal.schema;

import dev.migrator.core.internal.timeout.SessionTimeouts;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.internal.database.DatabaseTypeRegister;
import org.flywaydb.core.internal.database.base.Database;
import org.flywaydb.core.internal.database.base.Schema;
import org.flywaydb.core.internal.database.base.Table;
import org.flywaydb.core.internal.exception.FlywaySqlException;
import org.flywaydb.core.internal.jdbc.JdbcConnectionFactory;
import org.flywaydb.core.internal.jdbc.JdbcTemplate;
import org.flywaydb.core.internal.jdbc.StatementInterceptor;
import org.flywaydb.core.internal.strategy.RetryStrategy;
import org.flywaydb.database.postgresql.PostgreSQLConnection;
import org.flywaydb.database.postgresql.PostgreSQLDatabase;
import org.flywaydb.database.postgresql.PostgreSQLDatabaseType;
import org.flywaydb.database.postgresql.PostgreSQLSchema;
import org.flywaydb.database.postgresql.PostgreSQLTable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flyway's PostgreSQL support for the length of one of migrator's runs, with the same guarantees and
 * fewer round trips per migration.
 *
 * <p>Flyway's session lock, which migrator asks for, takes and releases Flyway's advisory lock around
 * every migration, and Flyway asks the catalog again, for every migration, whether its history table
 * and the schema exist, resets the session's role up to five times, and lets the CockroachDB support
 * ask {@code SELECT version()} to tell itself apart. Inside a run, which already holds migrator's
 * cluster lock, this database:
 *
 * <ul>
 *   <li>takes Flyway's advisory lock (the same key, so plain Flyway processes on the database still
 *       wait for it) once, on the connection that runs the migrations and writes the history, and
 *       keeps it until Flyway closes that connection: a longer hold of the same lock, on the session
 *       that cannot lose it while it works;
 *   <li>runs every migration and its history row on that one connection, in one transaction when the
 *       migration has one, as Flyway's session lock does;
 *   <li>remembers that the history table and the schema exist once it has seen them (they are not
 *       dropped under a run);
 *   <li>resets the role only when something else than Flyway's own bookkeeping may have run on the
 *       connection since the last reset: a migration, a callback (every dispatch of a callback event
 *       counts), or anything after Flyway set the schema for one; the same statement puts back the
 *       search path Flyway set for the migration, which Flyway then need not set again for the next;
 *   <li>keeps the session's timeouts for the migrations ({@link #timeouts}) set for the session
 *       while the run lasts, instead of setting them again in each migration's transaction, and puts
 *       the session's own back before Flyway lets the connection go.
 * </ul>
 *
 * <p>It is chosen only on the thread of a run, inside {@link #during}, and only when the run uses the
 * session lock; every other use of Flyway in the JVM, and a run with Flyway's transactional lock, gets
 * Flyway's own PostgreSQL support. It is registered as a Flyway plugin; where Flyway cannot see it
 * (another class loader), runs use Flyway's own support, with its extra round trips.
 */
public final class RunScopedPostgres {

    private static final Logger logger = LoggerFactory.getLogger(RunScopedPostgres.class);

    /** Flyway's own base of its advisory lock keys ("Flyway"), to which it adds the table's hash. */
    private static final long FLYWAY_LOCK_BASE =
            (0x46L << 40) + (0x6CL << 32) + (0x79L << 24) + (0x77 << 16) + (0x61 << 8) + 0x79;

    private static final ThreadLocal<@Nullable Run> RUN = new ThreadLocal<>();

    private static volatile @Nullable Boolean registered;

    private RunScopedPostgres() {}

    /** The connections of the run on this thread. */
    private static final class Run {

        private final List<RunConnection> connections = new ArrayList<>();
    }

    /**
     * Run Flyway work on this thread with this database.
     *
     * @param work the work, a call of Flyway's {@code migrate()}
     * @return what the work returns
     */
    static <T> T during(Supplier<T> work) {
        if (!registered()) {
            return work.get();
        }
        RUN.set(new Run());
        try {
            return work.get();
        } finally {
            RUN.remove();
        }
    }

    /** Return whether Flyway sees this database among its plugins. */
    static boolean registered() {
        Boolean known = registered;
        if (known == null) {
            known = DatabaseTypeRegister.getDatabaseTypes().stream().anyMatch(Type.class::isInstance);
            if (!known) {
                logger.debug("Flyway does not see migrator's PostgreSQL support (another class loader);"
                        + " runs use Flyway's own, with a lock per migration");
            }
            registered = known;
        }
        return known;
    }

    /** Return the callback that tells the run's connections that other work may run on them. */
    static Callback dispatches() {
        return new Dispatches();
    }

    /** Return whether a callback is the one {@link #dispatches()} returns. */
    static boolean isDispatches(Callback callback) {
        return callback instanceof Dispatches;
    }

    /**
     * Return the timeouts the run on this thread keeps on one of its connections, or {@code null}
     * when the connection is not one of a run's (outside a run, or with Flyway's own support).
     */
    static @Nullable HeldTimeouts timeouts(java.sql.Connection connection) {
        Run run = RUN.get();
        if (run != null) {
            for (RunConnection candidate : run.connections) {
                if (candidate.getJdbcConnection() == connection) {
                    return candidate.timeouts;
                }
            }
        }
        return null;
    }

    /**
     * The timeouts a run keeps for the session of one of its connections: set for the session when a
     * migration first needs them, kept while the migrations that follow need the same, and the
     * session's own put back when Flyway closes the connection, before it goes back to its pool.
     */
    static final class HeldTimeouts {

        private final java.sql.Connection connection;

        /** The session's own timeouts, read before the run first changed them. */
        private SessionTimeouts.@Nullable Profile original;

        /** What the session has, as far as the run knows; {@code null} when it does not know. */
        private SessionTimeouts.@Nullable Profile held;

        private int pid;

        HeldTimeouts(java.sql.Connection connection) {
            this.connection = connection;
        }

        /**
         * Give the session a profile, unless it has it already.
         *
         * @return the server process of the session
         */
        int hold(SessionTimeouts.Profile profile) throws SQLException {
            if (!profile.equals(this.held)) {
                if (this.original == null) {
                    this.original = SessionTimeouts.current(this.connection);
                }
                this.held = null;
                this.pid = SessionTimeouts.apply(this.connection, profile, false);
                this.held = profile;
            }
            return this.pid;
        }

        /**
         * Forget what the session has: a setting made in a transaction that was rolled back went with
         * it, so the next migration sets its timeouts again.
         */
        void forget() {
            this.held = null;
        }

        /** Put the session's own timeouts back, if the run changed them. */
        void restore() {
            SessionTimeouts.Profile own = this.original;
            if (own == null) {
                return;
            }
            this.original = null;
            this.held = null;
            SessionTimeouts.putBack(this.connection, own);
        }
    }

    /**
     * Never handles an event, but hears of every dispatch: each one may run a callback on a connection
     * of the run, so each connection resets its role before Flyway's next statement.
     */
    private static final class Dispatches implements Callback {

        @Override
        public boolean supports(Event event, Context context) {
            Run run = RUN.get();
            if (run != null) {
                run.connections.forEach(RunConnection::otherWorkMayRun);
            }
            return false;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {}

        @Override
        public String getCallbackName() {
            return "migrator-run-connections";
        }
    }

    /** The plugin: ahead of Flyway's PostgreSQL types, for connections made on the thread of a run. */
    public static final class Type extends PostgreSQLDatabaseType {

        @Override
        public int getPriority() {
            // Ahead of CockroachDB's type (1), which asks the server for its version to tell itself apart.
            return 100;
        }

        @Override
        public boolean handlesJDBCUrl(String url) {
            // Chosen by connection only: never for a URL Flyway is configured with.
            return false;
        }

        @Override
        public boolean handlesDatabaseProductNameAndVersion(
                String productName, String productVersion, java.sql.Connection connection) {
            return RUN.get() != null
                    && super.handlesDatabaseProductNameAndVersion(productName, productVersion, connection);
        }

        @Override
        public Database createDatabase(
                Configuration configuration, JdbcConnectionFactory factory, StatementInterceptor interceptor) {
            return new RunDatabase(configuration, factory, interceptor);
        }
    }

    private static final class RunDatabase extends PostgreSQLDatabase {

        private @Nullable RunConnection lockHolder;

        private final List<RunConnection> connections = new ArrayList<>();

        private long lockKey;

        RunDatabase(Configuration configuration, JdbcConnectionFactory factory, StatementInterceptor interceptor) {
            super(configuration, factory, interceptor);
        }

        @Override
        public boolean useSingleConnection() {
            return true;
        }

        @Override
        protected PostgreSQLConnection doGetConnection(java.sql.Connection connection) {
            RunConnection created = new RunConnection(this, connection);
            this.connections.add(created);
            Run run = RUN.get();
            if (run != null) {
                run.connections.add(created);
            }
            return created;
        }

        @Override
        public void close() {
            this.connections.forEach(connection -> connection.timeouts.restore());
            RunConnection holder = this.lockHolder;
            if (holder != null) {
                this.lockHolder = null;
                holder.otherWorkMayRun();
                try {
                    if (!holder.getJdbcTemplate().queryForBoolean("SELECT pg_advisory_unlock(" + this.lockKey + ")")) {
                        logger.warn("Flyway's advisory lock {} was not held at the end of the run", this.lockKey);
                    }
                } catch (SQLException ex) {
                    // The session is gone, and the lock with it.
                    logger.debug("Could not release Flyway's advisory lock", ex);
                }
            }
            super.close();
        }

        <T> T locked(RunConnection connection, Table<?, ?> table, Callable<T> work) {
            if (this.lockHolder == null) {
                long key = FLYWAY_LOCK_BASE + table.toString().hashCode();
                try {
                    new RetryStrategy()
                            .doWithRetries(
                                    () -> connection
                                            .getJdbcTemplate()
                                            .queryForBoolean("SELECT pg_try_advisory_lock(" + key + ")"),
                                    "Interrupted while waiting for Flyway's PostgreSQL advisory lock",
                                    "Flyway's PostgreSQL advisory lock stayed taken through every retry;"
                                            + " another Flyway process is migrating this database."
                                            + " Configure the retries with Flyway's 'lockRetryCount'");
                } catch (SQLException ex) {
                    throw new FlywaySqlException("Unable to acquire PostgreSQL advisory lock", ex);
                }
                this.lockKey = key;
                this.lockHolder = connection;
            }
            try {
                return work.call();
            } catch (RuntimeException ex) {
                throw ex;
            } catch (Exception ex) {
                throw new FlywayException(ex);
            }
        }
    }

    private static final class RunConnection extends PostgreSQLConnection {

        private final RunDatabase database;

        /** The role of the session when Flyway got the connection, which each reset puts back. */
        private final String role;

        private final HeldTimeouts timeouts;

        /** Whether only Flyway's bookkeeping ran since the role was last reset. */
        private boolean roleKept;

        /**
         * The search path Flyway last set for a migration or callback; while {@link #roleKept}, the
         * session has it, since each reset of the role puts it back too.
         */
        private @Nullable String path;

        RunConnection(RunDatabase database, java.sql.Connection connection) {
            super(database, connection);
            this.database = database;
            this.timeouts = new HeldTimeouts(connection);
            try {
                this.role = this.jdbcTemplate.queryForString("SELECT current_user");
            } catch (SQLException ex) {
                throw new FlywaySqlException("Unable to determine current user", ex);
            }
        }

        void otherWorkMayRun() {
            this.roleKept = false;
        }

        /**
         * Put back the role, and with it, in the same statement, the search path Flyway set last: a
         * migration may have changed either, and Flyway sets the path again before the next
         * migration, which then finds it already set.
         */
        @Override
        protected void doRestoreOriginalState() throws SQLException {
            if (!this.roleKept) {
                if (this.path == null) {
                    super.doRestoreOriginalState();
                } else {
                    this.jdbcTemplate.execute(
                            "SELECT set_config('role', ?, false), set_config('search_path', ?, false)",
                            this.role,
                            this.path);
                }
                this.roleKept = true;
            }
        }

        @Override
        public void changeCurrentSchemaTo(Schema schema) {
            super.changeCurrentSchemaTo(schema);
            // Flyway sets the schema right before a migration or a callback runs.
            otherWorkMayRun();
        }

        @Override
        public void doChangeCurrentSchemaOrSearchPathTo(String schema) throws SQLException {
            if (this.roleKept && schema.equals(this.path)) {
                // Set by the last reset, and only Flyway's bookkeeping ran since.
                return;
            }
            super.doChangeCurrentSchemaOrSearchPathTo(schema);
            this.path = schema;
        }

        @Override
        public <T> T lock(Table table, Callable<T> callable) {
            return this.database.locked(this, table, callable);
        }

        @Override
        public Schema getSchema(String name) {
            return new RunSchema(this.jdbcTemplate, this.database, name);
        }
    }

    private static final class RunSchema extends PostgreSQLSchema {

        private boolean exists;

        RunSchema(JdbcTemplate jdbcTemplate, PostgreSQLDatabase database, String name) {
            super(jdbcTemplate, database, name);
        }

        @Override
        protected boolean doExists() throws SQLException {
            if (!this.exists) {
                this.exists = super.doExists();
            }
            return this.exists;
        }

        @Override
        public Table getTable(String tableName) {
            return new RunTable(this.jdbcTemplate, this.database, this, tableName);
        }
    }

    private static final class RunTable extends PostgreSQLTable {

        private boolean exists;

        RunTable(JdbcTemplate jdbcTemplate, PostgreSQLDatabase database, PostgreSQLSchema schema, String name) {
            super(jdbcTemplate, database, schema, name);
        }

        @Override
        protected boolean doExists() throws SQLException {
            if (!this.exists) {
                this.exists = super.doExists();
            }
            return this.exists;
        }
    }
}
