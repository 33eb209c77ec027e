package dev.migrator.core.internal.lock;

import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * The guard of work done under a held cluster lock. Every transaction that commits work under the
 * lock calls {@link #check(Connection)} first, in that transaction: it takes a share lock on the
 * lock's fencing row and compares the token. A run that takes the lock over must update that row,
 * so it waits for the transaction in flight and, once it has its token, no transaction of the old
 * holder can pass the check again.
 */
public interface Fence {

    /**
     * Throw when the lock is known to be lost, without a database round trip: the watcher of the lock
     * session saw it end. For the safe points between migrations and between statements that run
     * outside a transaction.
     *
     * @throws dev.migrator.core.lock.LockLostException when the lock is lost
     */
    void ensureHeld();

    /**
     * Ask the lock session now, with a round trip, whether it still holds the lock. For a run that
     * failed: a run that lost its lock can hit errors of the run that took it over (a table it is
     * creating at the same moment) before the watcher sees the loss, and such a failure is the lost
     * lock's, not the migration's.
     *
     * @return whether the lock is still held
     */
    boolean confirmHeld();

    /**
     * Check, in the connection's current transaction (or alone, in autocommit), that this run still
     * owns the lock, and hold the fencing row until that transaction ends.
     *
     * @param connection the connection doing the work
     * @throws dev.migrator.core.lock.LockLostException when another run took the lock over, or the lock
     *     session ended
     * @throws SQLException when the check itself fails
     */
    void check(Connection connection) throws SQLException;

    /**
     * Return a scalar subquery that takes the share lock on the fencing row and yields its owner, so
     * that the first statement of a transaction can carry the check without a round trip of its own.
     * What it yields goes to {@link #verify(Connection, String)}.
     *
     * @return the SQL of the subquery, in parentheses
     * @throws dev.migrator.core.lock.LockLostException when the lock is known to be lost
     * @throws SQLException when the token could not be taken
     */
    String ownerSubquery() throws SQLException;

    /**
     * Check the owner that {@link #ownerSubquery()} yielded.
     *
     * @param connection the connection whose transaction ran the subquery, to read more for a message
     * @param owner what the subquery yielded, {@code null} when the row is gone
     * @throws dev.migrator.core.lock.LockLostException when this run no longer owns the lock
     * @throws SQLException when reading the details for the message fails
     */
    void verify(Connection connection, @Nullable String owner) throws SQLException;

    /**
     * Describe the lock: its name and this run's token, for messages.
     *
     * @return a short description
     */
    String describe();
}
