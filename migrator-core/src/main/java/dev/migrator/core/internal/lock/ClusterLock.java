package dev.migrator.core.internal.lock;

import dev.migrator.core.lock.LockHolder;
import java.time.Duration;
import java.util.Optional;

/** A lock that one migration run in the whole cluster holds at a time. */
public interface ClusterLock {

    /**
     * Wait until the lock is free and take it.
     *
     * @param timeout how long to wait before giving up
     * @return the held lock, to be closed when the run ends
     * @throws dev.migrator.core.lock.LockTimeoutException when the wait times out
     */
    Held acquire(Duration timeout);

    /** Return the session holding the lock now, if any. */
    Optional<LockHolder> holder();

    /** A held lock; closing it releases the lock. */
    interface Held extends AutoCloseable {

        /** Return the fence that work under this lock checks before it commits. */
        Fence fence();

        @Override
        void close();
    }
}
