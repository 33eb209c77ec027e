package dev.migrator.core.data;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A batched backfill over one table, walked by ranges of a unique, ordered key (keyset pagination,
 * never {@code OFFSET} or repeated {@code LIMIT} scans). Each range is processed and committed in
 * its own transaction together with the last key done; a restarted migration resumes after that
 * key. Batches are sized to a time budget (100 ms by default): the first holds the batch size, each
 * next one as many rows as the time per row so far fits in the budget. Progress (rows done, rows per
 * second, the batch size, estimated time left) is logged as it goes and recorded with each batch.
 *
 * <pre>{@code
 * context.backfill("customer")
 *         .update("UPDATE customer SET email_domain = split_part(email, '@', 2) WHERE id BETWEEN ? AND ?");
 * }</pre>
 *
 * @since 0.1.0
 */
public interface Backfill {

    /**
     * Walk by this column instead of the table's single-column primary key. It must be unique and
     * not null.
     *
     * @param column the key column
     * @return this backfill
     */
    Backfill key(String column);

    /**
     * Set how many rows the first range holds (every range, when batches are not sized to time);
     * defaults to the configured batch size. A size above the largest batch raises that too.
     *
     * @param rows rows per range, at least 1
     * @return this backfill
     */
    Backfill batchSize(int rows);

    /**
     * Set the most rows a range holds when ranges are sized to time; defaults to the configured
     * largest batch.
     *
     * @param rows rows per range, at least 1
     * @return this backfill
     */
    Backfill maxBatchSize(int rows);

    /**
     * Set how long one range should take, its row locks held that long: each next range is sized
     * from the time per row of the ranges before it, and halved after a lock or statement timeout;
     * {@link Duration#ZERO} for ranges of the batch size each. Defaults to the configured batch time.
     *
     * @param time a duration of zero or more
     * @return this backfill
     */
    Backfill batchTime(Duration time);

    /**
     * Run a statement once per range. It takes two parameters, the first and the last key of the
     * range (both inclusive), typically {@code WHERE key BETWEEN ? AND ?}.
     *
     * @param sql the statement
     * @return what the backfill did
     */
    BackfillResult update(String sql);

    /**
     * Run Java code once per range, in the range's transaction.
     *
     * @param work what to do with a range; returns the number of rows it changed
     * @return what the backfill did
     */
    BackfillResult forEachRange(RangeWork work);

    /**
     * Work done on one range of keys.
     *
     * @since 0.1.0
     */
    @FunctionalInterface
    interface RangeWork {

        /**
         * Process the rows with {@code first <= key <= last}.
         *
         * @param connection the connection, in the range's transaction; do not commit it
         * @param first the first key of the range
         * @param last the last key of the range
         * @return the number of rows changed
         * @throws SQLException on failure; the range is rolled back
         */
        long process(Connection connection, Object first, Object last) throws SQLException;
    }
}
