package dev.migrator.core.internal.timeout;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work that rolls back as a whole (a transaction, or one statement in autocommit) with the
 * retries of {@link SessionTimeouts}: a try that hit its lock timeout is rolled back, and after a
 * pause tried again with the next try's higher timeout; the last failure names who blocked it.
 */
public final class LockRetries {

    private static final Logger logger = LoggerFactory.getLogger(LockRetries.class);

    private final SessionTimeouts timeouts;

    private final BlockerProbe probe;

    public LockRetries(SessionTimeouts timeouts, BlockerProbe probe) {
        this.timeouts = timeouts;
        this.probe = probe;
    }

    public SessionTimeouts timeouts() {
        return this.timeouts;
    }

    /** One try. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {

        /**
         * Make the try.
         *
         * @param attempt the try, from 0; a try after the first sets its profile itself
         * @param profile the timeouts of this try
         */
        T run(int attempt, SessionTimeouts.Profile profile) throws E;
    }

    /** What undoes a failed try, such as a rollback. */
    @FunctionalInterface
    public interface Undo {

        void run() throws SQLException;
    }

    /**
     * Run work with retries.
     *
     * @param what the work, for messages, such as {@code Data migration 'D3__fix.sql'}
     * @param pid the server process the work runs in, whose blockers are sampled
     * @param work the work
     * @param undo what undoes a failed try before the next
     * @param beforeRetry what must hold before a retry, such as the migration lock
     * @return what the work returned
     * @throws MigratorException with {@link ErrorCode#BLOCKED} when the last try hit its lock timeout
     */
    public <T, E extends Exception> T run(String what, int pid, Work<T, E> work, Undo undo, Runnable beforeRetry)
            throws E, SQLException {
        for (int attempt = 0; ; attempt++) {
            SessionTimeouts.Profile profile = this.timeouts.transactional(attempt);
            List<Blocker> blockers;
            Exception failure;
            try (BlockerProbe.Watch watch = this.probe.watch(pid, profile.lockTimeout())) {
                try {
                    return work.run(attempt, profile);
                } catch (Exception ex) {
                    if (!SessionTimeouts.isLockTimeout(ex)) {
                        throw ex;
                    }
                    failure = ex;
                }
                blockers = watch.blockers();
            }
            undo.run();
            if (!this.timeouts.retries(failure, attempt)) {
                List<String> text = this.timeouts.gaveUp(what, attempt + 1, blockers);
                throw new MigratorException(ErrorCode.BLOCKED, text.get(0), text.get(1), failure);
            }
            beforeRetry.run();
            Duration pause = this.timeouts.pause(attempt + 1);
            logger.warn(
                    "{} waited longer than its lock timeout of {} and was rolled back; trying again (try {} of {})"
                            + " after {} ms with a lock timeout of {}. {}",
                    what,
                    profile.lockTimeoutText(),
                    attempt + 2,
                    this.timeouts.tries(),
                    pause.toMillis(),
                    this.timeouts.transactional(attempt + 1).lockTimeoutText(),
                    SessionTimeouts.blocking(blockers));
        }
    }
}
