package dev.migrator.core.internal.timeout;

import dev.migrator.core.MigratorSettings;
import dev.migrator.core.Setting;
import dev.migrator.core.SettingNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timeouts of the sessions that run migrations, and the retries of a migration that hit its
 * lock timeout inside a transaction. A try's lock timeout rises evenly from the first to the last
 * try; the pause before a retry doubles from the configured backoff, up to 30 s, with a little
 * jitter so that instances retrying the same table do not meet again.
 */
public final class SessionTimeouts {

    private static final Logger logger = LoggerFactory.getLogger(SessionTimeouts.class);

    /** SQL state of {@code lock_not_available}: a lock timeout, or a {@code NOWAIT} that found the lock taken. */
    public static final String LOCK_NOT_AVAILABLE = "55P03";

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private static final String SET = "SELECT pg_backend_pid(), set_config('lock_timeout', ?, %1$s),"
            + " set_config('statement_timeout', ?, %1$s)";

    private final Duration lockTimeout;

    private final Duration lockTimeoutMax;

    private final int retries;

    private final Duration backoff;

    private final Duration statementTimeout;

    private final Profile nonTransactional;

    private final SettingNames names;

    public SessionTimeouts(MigratorSettings settings, SettingNames names) {
        this.lockTimeout = settings.lockTimeout();
        this.lockTimeoutMax = settings.lockTimeoutMax();
        this.retries = settings.lockTimeout().isZero() ? 0 : settings.lockRetries();
        this.backoff = settings.lockRetryBackoff();
        this.statementTimeout = settings.statementTimeout();
        this.nonTransactional =
                new Profile(settings.nonTransactionalLockTimeout(), settings.nonTransactionalStatementTimeout());
        this.names = names;
    }

    /** A {@code lock_timeout} and a {@code statement_timeout}; zero for none. */
    public record Profile(Duration lockTimeout, Duration statementTimeout) {

        /** Describe the lock timeout for messages. */
        public String lockTimeoutText() {
            return this.lockTimeout.isZero() ? "none" : this.lockTimeout.toMillis() + " ms";
        }
    }

    /** Return the number of tries of a migration inside a transaction: the first and the retries. */
    public int tries() {
        return this.retries + 1;
    }

    /**
     * Return the profile of a try inside a transaction.
     *
     * @param attempt the try, from 0
     */
    public Profile transactional(int attempt) {
        Duration lock = this.lockTimeout;
        if (attempt > 0 && this.retries > 0) {
            long first = this.lockTimeout.toMillis();
            long last = this.lockTimeoutMax.toMillis();
            lock = Duration.ofMillis(first + (last - first) * Math.min(attempt, this.retries) / this.retries);
        }
        return new Profile(lock, this.statementTimeout);
    }

    /** Return the profile of statements outside a transaction. */
    public Profile nonTransactional() {
        return this.nonTransactional;
    }

    /** Return whether a try that failed this way is tried again. */
    public boolean retries(Throwable failure, int attempt) {
        return attempt < this.retries && isLockTimeout(failure);
    }

    /**
     * Return whether a failure is a statement timeout: SQL state 57014 (query canceled) for the
     * server's {@code statement_timeout}, anywhere in its causes; a cancel by a user is not.
     */
    public static boolean isStatementTimeout(@Nullable Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql
                    && "57014".equals(sql.getSQLState())
                    && String.valueOf(sql.getMessage()).contains("statement timeout")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Return whether a failure is a lock timeout: SQL state 55P03 anywhere in its causes. */
    public static boolean isLockTimeout(@Nullable Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * Wait before a retry.
     *
     * @param retry the retry, from 1
     * @return the time waited
     */
    public Duration pause(int retry) {
        long base = Math.min(this.backoff.toMillis() << Math.min(retry - 1, 20), MAX_BACKOFF.toMillis());
        long millis = base + (base == 0 ? 0 : ThreadLocalRandom.current().nextLong(base / 4 + 1));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to retry a migration", ex);
        }
        return Duration.ofMillis(millis);
    }

    /**
     * Set a profile on a connection, for its current transaction only ({@code local}) or for the
     * session, in one round trip.
     *
     * @return the server process of the connection
     */
    public static int apply(Connection connection, Profile profile, boolean local) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SET.formatted(local))) {
            statement.setString(1, profile.lockTimeout().toMillis() + "ms");
            statement.setString(2, profile.statementTimeout().toMillis() + "ms");
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Return the session's own timeouts, to put back with {@link #restore(Connection, Profile)}. */
    public static Profile current(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT EXTRACT(EPOCH FROM CAST(current_setting('lock_timeout') AS interval)) * 1000,"
                                + " EXTRACT(EPOCH FROM CAST(current_setting('statement_timeout') AS interval)) * 1000");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return new Profile(Duration.ofMillis(rs.getLong(1)), Duration.ofMillis(rs.getLong(2)));
        }
    }

    /** Put a session's own timeouts back, before the connection goes back to a pool. */
    public static void restore(Connection connection, Profile original) throws SQLException {
        apply(connection, original, false);
    }

    /**
     * Put a session's own timeouts back, as {@link #restore(Connection, Profile)} does, where a failure
     * is left to the connection's end: a broken connection, or one in a failed transaction, ends its
     * session when it is closed.
     */
    public static void putBack(Connection connection, Profile original) {
        try {
            restore(connection, original);
        } catch (SQLException ex) {
            logger.debug("Could not put back the session's own timeouts", ex);
        }
    }

    /** Say who blocked a try, for messages and logs. */
    public static String blocking(List<Blocker> blockers) {
        return blockers.isEmpty()
                ? "No blocking session was seen while it waited (the blocker may have ended, or the wait was"
                        + " shorter than half the lock timeout)."
                : "Blocking it: "
                        + String.join(
                                "; ", blockers.stream().map(Blocker::describe).toList()) + ".";
    }

    /**
     * Describe the failure of a migration that gave up waiting for a lock.
     *
     * @param what the migration, for example {@code Schema migration 'V5__add_column.sql'}
     * @param tries how many tries it made
     * @param blockers the sessions seen blocking it during its last try
     * @return the description, and the next step
     */
    public List<String> gaveUp(String what, int tries, List<Blocker> blockers) {
        String timeouts = (tries == 1)
                ? "its lock timeout of " + transactional(0).lockTimeoutText()
                : "its lock timeout (" + transactional(0).lockTimeoutText() + " rising to "
                        + transactional(tries - 1).lockTimeoutText() + ") on each of " + tries + " tries";
        String description = what + " gave up waiting for a lock: it waited longer than " + timeouts
                + ", and every try was rolled back. " + blocking(blockers);
        String action = "End or wait out the blocking transaction"
                + (blockers.isEmpty()
                        ? ""
                        : " (SELECT pg_terminate_backend(" + blockers.get(0).pid() + ") ends the first)")
                + " and start again, at a quieter time if the table is busy; or allow longer waits with "
                + this.names.quoted(Setting.LOCK_TIMEOUT_MAX) + " and " + this.names.quoted(Setting.LOCK_RETRIES)
                + ", knowing that the service's queries on that table wait as long.";
        return List.of(description, action);
    }
}
