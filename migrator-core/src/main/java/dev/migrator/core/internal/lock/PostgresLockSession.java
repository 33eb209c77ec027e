package dev.migrator.core.internal.lock;

import dev.migrator.core.Redactor;
import dev.migrator.core.internal.jdbc.Connections;
import dev.migrator.core.lock.LockLostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A held PostgreSQL session advisory lock, its fencing token and the watcher of its session.
 *
 * <p>The token is a counter in a table next to the data history ({@code <data table>_lock}), one
 * row per lock. Taking the lock increments it and writes this run's owner id; every transaction
 * that commits work checks that row with {@code FOR SHARE} first. Taking the lock over therefore
 * waits for the old holder's transaction in flight, and the old holder's next check fails. On the
 * first run the table does not exist yet: creating it before Flyway's first migration would make
 * the schema look non-empty to Flyway, so the token is then taken by the first check, on the lock
 * session, which still holds the advisory lock if that succeeds.
 *
 * <p>The watcher pings the lock session every second: the traffic keeps it from looking idle, and
 * a failed ping (or an answer from another server session) marks the lock lost, which the work
 * sees at its next safe point without a round trip.
 */
final class PostgresLockSession implements ClusterLock.Held, Fence {

    private static final Logger logger = LoggerFactory.getLogger(PostgresLockSession.class);

    static final Duration WATCH_INTERVAL = Duration.ofSeconds(1);

    private static final int PING_TIMEOUT_SECONDS = 10;

    private final Connection connection;

    private final PostgresClusterLock.Key key;

    private final int pid;

    private final String owner = UUID.randomUUID().toString();

    private final String holder;

    private final ScheduledExecutorService watcher;

    private final String reset;

    private volatile long token;

    private final AtomicBoolean tableSeen;

    private volatile @Nullable String lost;

    private boolean closed;

    PostgresLockSession(
            Connection connection,
            PostgresClusterLock.Key key,
            int pid,
            String applicationName,
            String reset,
            AtomicBoolean tableSeen) {
        this.connection = connection;
        this.tableSeen = tableSeen;
        this.reset = reset;
        this.key = key;
        this.pid = pid;
        this.holder = applicationName + " (pid " + pid + ")";
        this.watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "migrator-lock-watch");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Take the fencing token, now that the lock is held, if its table exists (else the first check
     * takes it), and start watching the session. Whether the table exists is looked up, not tried:
     * an upsert on a missing table would put an error in the server's log at every start until the
     * first data migration creates it.
     * An earlier acquisition that saw the table spares the lookup.
     */
    void start() throws SQLException {
        synchronized (this.connection) {
            if (this.tableSeen.get() || fencingTableExists()) {
                this.token = claim(false);
            }
        }
        long interval = WATCH_INTERVAL.toMillis();
        this.watcher.scheduleWithFixedDelay(this::ping, interval, interval, TimeUnit.MILLISECONDS);
        logger.debug("Migration lock on {} has fencing token {}", this.key.name(), this.token);
    }

    private boolean fencingTableExists() throws SQLException {
        try (PreparedStatement statement = this.connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            statement.setString(1, this.key.fencingTable());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Increment the token and write this run as its owner; return the token, or 0 when the table
     * is missing and {@code create} is false.
     */
    private long claim(boolean create) throws SQLException {
        String table = this.key.fencingTable();
        try (Statement statement = this.connection.createStatement()) {
            if (create) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (name varchar(1000) PRIMARY KEY,"
                        + " token bigint NOT NULL, owner varchar(36) NOT NULL, holder varchar(200),"
                        + " acquired_on timestamp NOT NULL DEFAULT now())");
            }
        }
        try (PreparedStatement statement = this.connection.prepareStatement("INSERT INTO " + table
                + " AS f (name, token, owner, holder) VALUES (?, 1, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                + " token = f.token + 1, owner = excluded.owner, holder = excluded.holder, acquired_on = now()"
                + " RETURNING token")) {
            statement.setString(1, this.key.name());
            statement.setString(2, this.owner);
            statement.setString(3, this.holder);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                this.tableSeen.set(true);
                return rs.getLong(1);
            }
        } catch (SQLException ex) {
            // 42P01: no table yet; 3F000: no schema yet (Flyway creates it). Both mean a first run.
            if (!create && ("42P01".equals(ex.getSQLState()) || "3F000".equals(ex.getSQLState()))) {
                return 0;
            }
            throw ex;
        }
    }

    private void ping() {
        synchronized (this.connection) {
            if (this.closed || this.lost != null) {
                return;
            }
            try (Statement statement = this.connection.createStatement()) {
                statement.setQueryTimeout(PING_TIMEOUT_SECONDS);
                try (ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    int now = rs.getInt(1);
                    if (now != this.pid) {
                        markLost("its connection moved from server session " + this.pid + " to " + now
                                + ", as behind a connection pooler in transaction mode");
                    }
                }
            } catch (SQLException | RuntimeException ex) {
                markLost("its session (pid " + this.pid + ") ended: '" + Redactor.redact(Connections.firstLine(ex))
                        + "'");
            }
        }
    }

    private void markLost(String reason) {
        if (this.lost == null) {
            this.lost = reason;
            logger.warn(
                    "Lost the migration lock on {}: {}. This run stops at its next safe point.",
                    this.key.name(),
                    reason);
        }
    }

    @Override
    public Fence fence() {
        return this;
    }

    @Override
    public void ensureHeld() {
        String reason = this.lost;
        if (reason != null) {
            throw lockLost(reason, null);
        }
    }

    @Override
    public boolean confirmHeld() {
        ping();
        return this.lost == null;
    }

    @Override
    public void check(Connection work) throws SQLException {
        String owner;
        try (Statement statement = work.createStatement();
                ResultSet rs = statement.executeQuery("SELECT " + ownerSubquery())) {
            rs.next();
            owner = rs.getString(1);
        }
        verify(work, owner);
    }

    @Override
    public String ownerSubquery() throws SQLException {
        ensureHeld();
        if (this.token == 0) {
            synchronized (this.connection) {
                try {
                    if (this.token == 0) {
                        this.token = claim(true);
                    }
                } catch (SQLException ex) {
                    markLost("its session (pid " + this.pid + ") could not take the fencing token: '"
                            + Connections.firstLine(ex) + "'");
                    throw lockLost(this.lost, ex);
                }
            }
        }
        return "(SELECT owner FROM " + this.key.fencingTable() + " WHERE name = '"
                + this.key.name().replace("'", "''") + "' FOR SHARE)";
    }

    @Override
    public void verify(Connection work, @Nullable String owner) throws SQLException {
        if (owner == null) {
            markLost("its fencing row in " + this.key.fencingTable() + " is gone");
        } else if (!this.owner.equals(owner)) {
            try (PreparedStatement statement =
                    work.prepareStatement("SELECT token, holder FROM " + this.key.fencingTable() + " WHERE name = ?")) {
                statement.setString(1, this.key.name());
                try (ResultSet rs = statement.executeQuery()) {
                    markLost(
                            rs.next()
                                    ? "another run took it over (fencing token " + rs.getLong(1) + ", taken by "
                                            + rs.getString(2) + ") after its session ended"
                                    : "another run took it over after its session ended");
                }
            }
        }
        ensureHeld();
    }

    @Override
    public String describe() {
        return this.key.name() + " (fencing token " + this.token + ")";
    }

    private LockLostException lockLost(@Nullable String reason, @Nullable Throwable cause) {
        return new LockLostException(
                "Lost the migration lock on " + describe() + ": " + reason + ".",
                "This run stopped at a safe point: what it committed stays, and no work ran twice, because"
                        + " work under the lock commits only after checking that its run still holds the lock."
                        + " Start again: the next run continues where this one stopped.",
                cause);
    }

    @Override
    public void close() {
        this.watcher.shutdownNow();
        synchronized (this.connection) {
            this.closed = true;
            try (this.connection) {
                if (this.lost == null) {
                    release();
                }
            } catch (SQLException ex) {
                // Closing the session releases a session lock anyway.
                logger.warn("Could not release the migration lock on {} cleanly: {}", this.key.name(), ex.getMessage());
            }
        }
    }

    private void release() throws SQLException {
        try (PreparedStatement statement = this.connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            statement.setLong(1, this.key.value());
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next() && !rs.getBoolean(1)) {
                    logger.warn(
                            "The migration lock on {} was no longer held by its session (pid {}) when the run"
                                    + " ended: is a connection pooler in transaction mode between migrator and"
                                    + " PostgreSQL?",
                            this.key.name(),
                            this.pid);
                }
            }
        }
        // The connection may go back to a pool: leave no trace of the lock session on it.
        try (Statement statement = this.connection.createStatement()) {
            statement.execute(this.reset);
        }
        logger.debug("Released the migration lock on {}", this.key.name());
    }
}
