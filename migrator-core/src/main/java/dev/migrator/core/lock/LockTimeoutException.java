package dev.migrator.core.lock;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Setting;
import dev.migrator.core.SettingNames;
import java.time.Duration;
import java.util.Optional;

/**
 * Thrown when another session held the migration lock for longer than the configured wait.
 *
 * @since 0.1.0
 */
public class LockTimeoutException extends MigratorException {

    private final transient Optional<LockHolder> holder;

    /**
     * Create an exception for a wait that timed out.
     *
     * @param waited how long the caller waited
     * @param holder the session that held the lock when the wait ended, empty if it was released
     *     just then
     */
    public LockTimeoutException(Duration waited, Optional<LockHolder> holder) {
        this(waited, holder, SettingNames.CORE);
    }

    /**
     * Create an exception for a wait that timed out, naming the wait setting as the given names do.
     *
     * @param waited how long the caller waited
     * @param holder the session that held the lock when the wait ended, empty if it was released
     *     just then
     * @param names how to name the wait setting
     */
    public LockTimeoutException(Duration waited, Optional<LockHolder> holder, SettingNames names) {
        super(
                ErrorCode.LOCK_TIMEOUT,
                "Timed out after " + format(waited) + " waiting for the migration lock held by "
                        + holder.map(LockHolder::toString).orElse("another session") + ".",
                holder.map(h -> "Wait for that run to finish; if it is stuck, end its session with 'SELECT"
                                        + " pg_terminate_backend(" + h.pid() + ")'")
                                .orElse("Retry")
                        + ", or raise " + names.quoted(Setting.LOCK_WAIT_TIMEOUT) + " for longer runs.",
                null);
        this.holder = holder;
    }

    private static String format(Duration duration) {
        if (duration.toSeconds() < 10) {
            return duration.toMillis() + " ms";
        }
        long minutes = duration.toMinutes();
        return (minutes > 0) ? minutes + " min " + duration.toSecondsPart() + " s" : duration.toSeconds() + " s";
    }

    /**
     * Return the session that held the lock when the wait ended.
     *
     * @return the holder, empty when the lock was released just as the wait ended
     */
    public Optional<LockHolder> holder() {
        return this.holder;
    }
}
