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
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL session advisory lock held on a dedicated autocommit connection. Waiting polls
 * {@code pg_try_advisory_lock} outside any transaction: a blocking wait inside a transaction would
 * deadlock with {@code CREATE INDEX CONCURRENTLY} run by the holder, which waits for all older
 * transactions. The lock dies with its session, so a killed instance never leaves it behind.
 */
public final class PostgresClusterLock implements ClusterLock {

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

    private final Connections connections;

    private final Optional<String> schema;

    private final String table;

    private final String applicationName;

    private volatile @Nullable Key key;

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

    private record Key(String name, long value) {}

    private Key key(Connection connection) throws SQLException {
        Key key = this.key;
        if (key == null) {
            String schemaName = this.schema.isPresent() ? this.schema.get() : Connections.currentSchema(connection);
            String name = "\"" + schemaName + "\".\"" + this.table + "\"";
            key = new Key(name, keyFor(name));
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
            setApplicationName(connection, this.applicationName);
            Key key = key(connection);
            long deadline = System.nanoTime() + timeout.toNanos();
            Duration poll = MIN_POLL;
            boolean logged = false;
            while (!tryLock(connection, key)) {
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
            return () -> release(connection, key);
        } catch (SQLException ex) {
            closeQuietly(connection);
            throw new MigratorException(
                    ErrorCode.CONNECTION,
                    "Could not take the migration lock on '" + this.table + "': '" + Connections.firstLine(ex) + "'.",
                    "Check that the migration user may connect and run pg_try_advisory_lock.",
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

    private static boolean tryLock(Connection connection, Key key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, key.value());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
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

    private static void release(Connection connection, Key key) {
        try (connection) {
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                statement.setLong(1, key.value());
                statement.execute();
            }
            // The connection may go back to a pool: leave no trace of the lock session on it.
            try (Statement statement = connection.createStatement()) {
                statement.execute("RESET application_name");
            }
            logger.debug("Released the migration lock on {}", key.name());
        } catch (SQLException ex) {
            // Closing the session releases a session lock anyway.
            logger.warn("Could not release the migration lock on {} cleanly: {}", key.name(), ex.getMessage());
        }
    }

    private static void setApplicationName(Connection connection, String applicationName) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT set_config('application_name', ?, false)")) {
            statement.setString(1, applicationName);
            statement.execute();
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ex) {
            logger.debug("Could not close the lock connection", ex);
        }
    }
}
