package dev.migrator.core.lock;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a run lost the migration lock while it worked: its lock session ended (terminated by
 * an administrator, an idle timeout, a failover or a network cut), or another run took the lock
 * over. The run stops at the next safe point: every transaction migrator commits under the lock
 * first checks the lock's fencing token, so no work of a run that lost the lock commits after
 * another run took it, and nothing runs twice.
 *
 * @since 0.2.0
 */
public class LockLostException extends MigratorException {

    /**
     * Create an exception for a lost lock.
     *
     * @param description what happened
     * @param action what was kept and what to do next
     * @param cause the failure that revealed the loss, if any
     */
    public LockLostException(String description, String action, @Nullable Throwable cause) {
        super(ErrorCode.LOCK_LOST, description, action, cause);
    }
}
