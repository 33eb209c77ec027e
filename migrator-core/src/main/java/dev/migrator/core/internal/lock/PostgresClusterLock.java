package dev.migrator.core.internal.lock;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import dev.migrator.core.internal.jdbc.Connections;
import dev.migrator.core.lock.LockHolder;
import dev.migrator.core.lock.LockTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL session advisory lock held on a dedicated autocommit connection. Waiting polls
 * {@code pg_try_advisory_lock} outside any transaction: a blocking wait inside a transaction would
 * deadlock with {@code CREATE INDEX CONCURRENTLY} run by the holder, which waits for all older
 * transactions. The lock dies with its session, so a killed instance never leaves it behind.
 */
public final class PostgresClusterLock implements ClusterLock {

    /** What the fencing table's name adds to the data history table's. */
    public static final String FENCING_SUFFIX = "_lock";

    private static final Logger logger = LoggerFactory.getLogger(PostgresClusterLock.class);

    private static final Duration MIN_POLL = Duration.ofMillis(20);

    private static final Duration MAX_POLL = Duration.ofMillis(500);

    // Advisory locks belong to a database: a session holding the same key in another database of
    // the server is not the holder. pg_locks alone is cheap; pg_stat_activity is read only when the
    // lock is held, since status and health ask for the holder on every request.
    private static final String HOLDER_PID_QUERY = "SELECT pid FROM pg_locks"
            + " WHERE locktype = 'advisory' AND granted AND objsubid = 1"
            + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            + " AND classid::bigint = ? AND objid::bigint = ?";

    private static final String HOLDER_ACTIVITY_QUERY =
            "SELECT application_name, host(client_addr) FROM pg_stat_activity WHERE pid = ?";

    /**
     * What the lock session sets: kept alive whatever the server's or role's idle timeouts, TCP
     * keepalives so that a dead peer is noticed, the wait for the fencing row bounded by the lock
     * wait, and no disk flush for a token (a server crash ends every session, and the next holder's
     * owner id differs from any token that was lost).
     */
    private static final List<String> SESSION_SETTINGS = List.of(
            "idle_in_transaction_session_timeout = '0'",
            "tcp_keepalives_idle = '30'",
            "tcp_keepalives_interval = '10'",
            "tcp_keepalives_count = '3'",
            "synchronous_commit = 'off'");

    /** PostgreSQL 14 added {@code idle_session_timeout}; older servers do not know the name. */
    private static final int IDLE_SESSION_TIMEOUT_SINCE = 14;

    private final Connections connections;

    private final Optional<String> schema;

    private final String table;

    private final String applicationName;

    private volatile @Nullable Key key;

    /** Whether the token table was seen to exist; until then each acquisition looks before it upserts. */
    private final AtomicBoolean fencingTableSeen = new AtomicBoolean();

    /** Whether this data source was found to keep one server session per connection; checked once. */
    private volatile boolean oneSessionPerConnection;

    /**
     * Create a lock keyed by a qualified table name.
     *
     * @param connections where to open the lock session
     * @param schema the schema of the table, empty for the connection's current schema
     * @param table the table whose qualified name keys the lock
     * @param applicationName the {@code application_name} that the lock session shows while it holds
     *     the lock
     */
    public PostgresClusterLock(Connections connections, Optional<String> schema, String table, String applicationName) {
        this.connections = connections;
        this.schema = schema;
        this.table = table;
        this.applicationName = applicationName;
    }

    /** The lock's name and advisory key, and the table holding its fencing token. */
    record Key(String name, long value, String fencingTable) {}

    private Key key(Connection connection) throws SQLException {
        Key key = this.key;
        if (key == null) {
            String schemaName = this.schema.isPresent() ? this.schema.get() : Connections.currentSchema(connection);
            String name = "\"" + schemaName + "\".\"" + this.table + "\"";
            String fencingTable = Connections.quoteIdentifier(schemaName) + "."
                    + Connections.quoteIdentifier(this.table + FENCING_SUFFIX);
            key = new Key(name, keyFor(name), fencingTable);
            this.key = key;
        }
        return key;
    }

    /**
     * Derive a 64-bit advisory lock key from a name. Flyway's keys are a constant plus a 32-bit
     * string hash; a SHA-256 prefix of a prefixed name stays clear of that range in practice.
     */
    static long keyFor(String lockName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("migrator:" + lockName).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is not available", ex);
        }
    }

    @Override
    public Held acquire(Duration timeout) {
        Connection connection = this.connections.openWaiting();
        try {
            connection.setAutoCommit(true);
            Session session = configureSession(connection, this.applicationName, timeout);
            Key key = key(connection);
            if (!this.oneSessionPerConnection && !connectedDirectly(connection, session.pid())) {
                refuseTransactionPooling(connection);
                this.oneSessionPerConnection = true;
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            Duration poll = MIN_POLL;
            boolean logged = false;
            int pid;
            while ((pid = tryLock(connection, key)) < 0) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new LockTimeoutException(timeout, holder(connection, key), this.connections.names());
                }
                if (!logged) {
                    logger.info(
                            "Waiting for the migration lock on {}, held by {}",
                            key.name(),
                            holder(connection, key).map(LockHolder::toString).orElse("another session"));
                    logged = true;
                }
                Thread.sleep(Math.min(poll.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                poll = (poll.compareTo(MAX_POLL) < 0) ? poll.multipliedBy(2) : MAX_POLL;
            }
            logger.debug("Acquired the migration lock on {} (key {})", key.name(), key.value());
            PostgresLockSession held = new PostgresLockSession(
                    connection, key, pid, this.applicationName, session.reset(), this.fencingTableSeen);
            try {
                held.start();
            } catch (SQLException ex) {
                held.close();
                if ("55P03".equals(ex.getSQLState())) {
                    throw new MigratorException(
                            ErrorCode.LOCK_TIMEOUT,
                            "Took the migration lock on " + key.name() + ", but the last transaction of the run"
                                    + " that held it before did not end within " + timeout.toMillis()
                                    + " ms: that run lost its lock session and is still committing.",
                            "Start again; the old run stops at its next safe point.",
                            ex);
                }
                throw ex;
            }
            return held;
        } catch (SQLException ex) {
            closeQuietly(connection);
            throw new MigratorException(
                    ErrorCode.CONNECTION,
                    "Could not take the migration lock on '" + this.table + "': '" + Connections.firstLine(ex) + "'.",
                    "Check that the migration user may connect, run pg_try_advisory_lock and create tables in the"
                            + " schema of the data history.",
                    ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            closeQuietly(connection);
            throw new MigratorException(
                    ErrorCode.LOCK_TIMEOUT,
                    "Interrupted while waiting for the migration lock on '" + this.table + "'.",
                    "Start again; the lock is free once the other run ends.",
                    ex);
        } catch (RuntimeException ex) {
            closeQuietly(connection);
            throw ex;
        }
    }

    /**
     * Refuse a connection whose statements do not all run in one server session, as behind a pooler
     * in transaction mode: a session lock taken by one statement would belong to whichever client the
     * pooler hands that server session to next. The probe pins a second connection in a transaction
     * and asks both for their server process: on a direct or session-pooled connection the lock
     * connection keeps its process and the probe has another one. A transaction pooler hands the
     * probe the process the lock connection just used (it reuses the most recent one by default), or
     * hands the lock connection another one.
     */
    private void refuseTransactionPooling(Connection connection) throws SQLException {
        int before = backendPid(connection);
        int probe;
        int after;
        try (Connection other = this.connections.open()) {
            if (sameSession(connection, other)) {
                // A data source that hands out one connection (a test's single-connection data source):
                // one session for everything, which holds a session lock as well as any.
                return;
            }
            other.setAutoCommit(false);
            try {
                probe = backendPid(other);
                after = backendPid(connection);
            } finally {
                other.rollback();
                other.setAutoCommit(true);
            }
        }
        if (probe == before || after != before) {
            throw new MigratorException(
                    ErrorCode.UNSUPPORTED_CONNECTION,
                    "The migration connection cannot hold a session lock: its statements ran in different server"
                            + " sessions (process " + before + ", then " + after + "; a second connection got "
                            + probe + "), as behind a connection pooler in transaction mode (PgBouncer"
                            + " pool_mode=transaction, for example). Migrator did no work.",
                    "Connect migrator directly to PostgreSQL or through a session-mode pool, with "
                            + this.connections.names().connection()
                            + " pointing there; when migrator has a connection of its own, the application may keep"
                            + " the pooled one.",
                    null);
        }
    }

    /**
     * Return whether the connection goes straight to the server: the driver was told the server
     * process at connect time, and a pooler or proxy tells it a process id of its own. Then no probe
     * is needed; otherwise (or with another driver) the probe decides.
     */
    private static boolean connectedDirectly(Connection connection, int serverPid) {
        try {
            return connection.unwrap(PGConnection.class).getBackendPID() == serverPid;
        } catch (SQLException | LinkageError ex) {
            return false;
        }
    }

    private static boolean sameSession(Connection one, Connection other) {
        try {
            return one.unwrap(Connection.class) == other.unwrap(Connection.class);
        } catch (SQLException ex) {
            return false;
        }
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    public Optional<LockHolder> holder() {
        try (Connection connection = this.connections.open()) {
            return holder(connection, key(connection));
        } catch (SQLException ex) {
            throw new MigratorException(
                    ErrorCode.CONNECTION,
                    "Could not read the holder of the migration lock: '" + Connections.firstLine(ex) + "'.",
                    "Check that the migration user may read pg_locks and pg_stat_activity.",
                    ex);
        }
    }

    /** Try the lock once; return the server process that holds it now, or -1 when another session does. */
    private static int tryLock(Connection connection, Key key) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT pg_try_advisory_lock(?), pg_backend_pid()")) {
            statement.setLong(1, key.value());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1) ? rs.getInt(2) : -1;
            }
        }
    }

    private static Optional<LockHolder> holder(Connection connection, Key key) throws SQLException {
        int pid;
        try (PreparedStatement statement = connection.prepareStatement(HOLDER_PID_QUERY)) {
            statement.setLong(1, key.value() >>> 32);
            statement.setLong(2, key.value() & 0xFFFF_FFFFL);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                pid = rs.getInt(1);
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(HOLDER_ACTIVITY_QUERY)) {
            statement.setInt(1, pid);
            try (ResultSet rs = statement.executeQuery()) {
                boolean found = rs.next();
                return Optional.of(new LockHolder(
                        pid,
                        Optional.ofNullable(found ? rs.getString(1) : null).filter(s -> !s.isEmpty()),
                        Optional.ofNullable(found ? rs.getString(2) : null)));
            }
        }
    }

    /**
     * Apply {@link #SESSION_SETTINGS}, the application name and the lock wait as {@code lock_timeout},
     * in one round trip that reads no catalog (a query on {@code pg_settings} costs a fresh session
     * several milliseconds), and read the server process of the session.
     */
    private static Session configureSession(Connection connection, String applicationName, Duration timeout)
            throws SQLException {
        List<String> settings = new ArrayList<>(SESSION_SETTINGS);
        if (connection.getMetaData().getDatabaseMajorVersion() >= IDLE_SESSION_TIMEOUT_SINCE) {
            settings.add("idle_session_timeout = '0'");
        }
        settings.add("lock_timeout = '" + Math.max(1, timeout.toMillis()) + "'");
        StringBuilder sql = new StringBuilder("SELECT pg_backend_pid(), set_config('application_name', ?, false)");
        StringBuilder reset = new StringBuilder("RESET application_name");
        for (String setting : settings) {
            String name = setting.substring(0, setting.indexOf(' '));
            String value = setting.substring(setting.indexOf('=') + 2);
            sql.append(", set_config('")
                    .append(name)
                    .append("', ")
                    .append(value)
                    .append(", false)");
            reset.append("; RESET ").append(name);
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            statement.setString(1, applicationName);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return new Session(rs.getInt(1), reset.toString());
            }
        }
    }

    /** The lock session as configured: its server process, and what puts its settings back. */
    private record Session(int pid, String reset) {}

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ex) {
            logger.debug("Could not close the lock connection", ex);
        }
    }
}
