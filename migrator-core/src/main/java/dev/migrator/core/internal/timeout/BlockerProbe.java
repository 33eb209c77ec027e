package dev.migrator.core.internal.timeout;

import dev.migrator.core.internal.jdbc.Connections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds who blocks a migration while it waits. After the statement fails on its lock timeout the
 * wait is over and {@code pg_blocking_pids} answers nothing, so the sessions are sampled during the
 * try: once it has lasted half its lock timeout, then every half timeout (at most every second),
 * from a connection of its own. A try that ends sooner costs a scheduled task and no query.
 */
public final class BlockerProbe {

    private static final Logger logger = LoggerFactory.getLogger(BlockerProbe.class);

    private static final String BLOCKERS = "SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.usename, ''),"
            + " coalesce(EXTRACT(EPOCH FROM (clock_timestamp() - a.xact_start)) * 1000, 0), coalesce(a.state, ''),"
            + " coalesce(a.query, '') FROM pg_stat_activity a WHERE a.pid = ANY (pg_blocking_pids(?)) ORDER BY"
            + " a.xact_start";

    /** One daemon thread for every probe of the process: sampling is rare and short. */
    private static @Nullable ScheduledExecutorService executor;

    private final Connections connections;

    public BlockerProbe(Connections connections) {
        this.connections = connections;
    }

    /**
     * Start sampling the sessions that block a server process, for a try with a lock timeout.
     *
     * @param pid the server process of the migration's session
     * @param lockTimeout the try's lock timeout; zero means none, and nothing is sampled
     * @return the watch, to close when the try ends
     */
    public Watch watch(int pid, Duration lockTimeout) {
        Watch watch = new Watch(pid);
        if (lockTimeout.isZero()) {
            return watch;
        }
        long half = Math.max(lockTimeout.toMillis() / 2, 20);
        watch.task =
                executor().scheduleWithFixedDelay(watch::sample, half, Math.min(half, 1000), TimeUnit.MILLISECONDS);
        return watch;
    }

    private static synchronized ScheduledExecutorService executor() {
        if (executor == null) {
            executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "migrator-blocker-probe");
                thread.setDaemon(true);
                return thread;
            });
        }
        return executor;
    }

    /** The sampling of one try. */
    public final class Watch implements AutoCloseable {

        private final int pid;

        private volatile @Nullable ScheduledFuture<?> task;

        private @Nullable Connection connection;

        private volatile List<Blocker> seen = List.of();

        private boolean closed;

        Watch(int pid) {
            this.pid = pid;
        }

        private synchronized void sample() {
            if (this.closed) {
                return;
            }
            try {
                if (this.connection == null) {
                    this.connection = BlockerProbe.this.connections.open();
                }
                List<Blocker> blockers = new ArrayList<>();
                try (PreparedStatement statement = this.connection.prepareStatement(BLOCKERS)) {
                    statement.setInt(1, this.pid);
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            blockers.add(new Blocker(
                                    rs.getInt(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    Duration.ofMillis(rs.getLong(4)),
                                    rs.getString(5),
                                    Blocker.redactQuery(rs.getString(6))));
                        }
                    }
                }
                if (!blockers.isEmpty()) {
                    this.seen = List.copyOf(blockers);
                }
            } catch (SQLException | RuntimeException ex) {
                logger.debug("Could not sample the sessions blocking pid {}", this.pid, ex);
            }
        }

        /** Return the sessions last seen blocking the try; empty when none was seen. */
        public List<Blocker> blockers() {
            return this.seen;
        }

        @Override
        public synchronized void close() {
            this.closed = true;
            ScheduledFuture<?> scheduled = this.task;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            if (this.connection != null) {
                try {
                    this.connection.close();
                } catch (SQLException ex) {
                    logger.debug("Could not close the blocker probe's connection", ex);
                }
                this.connection = null;
            }
        }
    }
}
