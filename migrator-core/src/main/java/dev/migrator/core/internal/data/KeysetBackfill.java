package dev.migrator.core.internal.data;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import dev.migrator.core.data.Backfill;
import dev.migrator.core.data.BackfillResult;
import dev.migrator.core.internal.lock.Fence;
import dev.migrator.core.internal.timeout.LockRetries;
import dev.migrator.core.internal.timeout.SessionTimeouts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * A {@link Backfill} that walks a table by ranges of its key, one short transaction per range, and
 * records the last key done in that same transaction. Each range is found with an index scan from
 * the last key ({@code WHERE key > ? ORDER BY key LIMIT n}), so the walk never rescans what it has
 * done, unlike repeating an {@code UPDATE ... LIMIT n} until it changes nothing.
 */
final class KeysetBackfill implements Backfill {

    private static final Duration LOG_EVERY = Duration.ofSeconds(5);

    private final Connection connection;

    private final PostgresDataHistory history;

    private final String version;

    private final String table;

    private final Logger logger;

    private final LongConsumer rowsDone;

    private final Fence fence;

    private final LockRetries retries;

    private final int pid;

    private @Nullable String key;

    private int batchSize;

    private int maxBatchSize;

    private Duration batchTime;

    KeysetBackfill(
            Connection connection,
            PostgresDataHistory history,
            String version,
            String table,
            Batching batching,
            Logger logger,
            LongConsumer rowsDone,
            Fence fence,
            LockRetries retries,
            int pid) {
        this.connection = connection;
        this.retries = retries;
        this.pid = pid;
        this.fence = fence;
        this.history = history;
        this.version = version;
        this.table = table;
        this.batchSize = batching.start();
        this.maxBatchSize = batching.max();
        this.batchTime = batching.time();
        this.logger = logger;
        this.rowsDone = rowsDone;
    }

    @Override
    public Backfill key(String column) {
        this.key = column;
        return this;
    }

    @Override
    public Backfill batchSize(int rows) {
        if (rows < 1) {
            throw invalid("backfill batch size", rows, "Use 1 or more rows per batch.");
        }
        this.batchSize = rows;
        this.maxBatchSize = Math.max(this.maxBatchSize, rows);
        return this;
    }

    @Override
    public Backfill maxBatchSize(int rows) {
        if (rows < 1) {
            throw invalid("largest backfill batch", rows, "Use 1 or more rows per batch.");
        }
        this.maxBatchSize = rows;
        this.batchSize = Math.min(this.batchSize, rows);
        return this;
    }

    @Override
    public Backfill batchTime(Duration time) {
        if (time.isNegative()) {
            throw invalid(
                    "backfill batch time",
                    time,
                    "Use a duration of zero or more, such as 100 ms (zero for batches of a fixed size).");
        }
        this.batchTime = time;
        return this;
    }

    private MigratorException invalid(String what, Object value, String action) {
        return new MigratorException(
                ErrorCode.CONFIGURATION,
                "Invalid " + what + " '" + value + "' for table '" + this.table + "'.",
                action,
                null);
    }

    @Override
    public BackfillResult update(String sql) {
        try (PreparedStatement update = this.connection.prepareStatement(sql)) {
            return forEachRange((connection, first, last) -> {
                update.setObject(1, first);
                update.setObject(2, last);
                return update.executeUpdate();
            });
        } catch (SQLException ex) {
            throw new BackfillFailure(this.table, 0, ex);
        }
    }

    @Override
    public BackfillResult forEachRange(RangeWork work) {
        try {
            if (!this.connection.getAutoCommit()) {
                throw new MigratorException(
                        ErrorCode.CONFIGURATION,
                        "A backfill of '" + this.table + "' runs inside a transactional data migration.",
                        "A backfill commits once per batch: make the migration non-transactional"
                                + " (transactional() returns false).",
                        null);
            }
            Walk walk = prepare();
            return walk.run(work);
        } catch (SQLException ex) {
            throw new BackfillFailure(this.table, 0, ex);
        }
    }

    private Walk prepare() throws SQLException {
        String qualifiedTable = queryString("SELECT CAST(CAST(? AS regclass) AS text)", this.table);
        String column = (this.key != null) ? this.key : primaryKey(qualifiedTable);
        String keyType = queryString(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = CAST(? AS regclass)"
                        + " AND attname = ? AND NOT attisdropped",
                qualifiedTable,
                column);
        if (keyType == null) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "Backfill key column '" + column + "' does not exist in table '" + qualifiedTable + "'.",
                    "Name an existing unique, not-null column with key(...).",
                    null);
        }
        String name = qualifiedTable + "." + column;
        return new Walk(
                qualifiedTable,
                queryString("SELECT quote_ident(?)", column),
                keyType,
                name,
                this.fence.ownerSubquery());
    }

    private String primaryKey(String qualifiedTable) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement statement = this.connection.prepareStatement(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                        + " AND a.attnum = ANY (i.indkey) WHERE i.indrelid = CAST(? AS regclass) AND i.indisprimary")) {
            statement.setString(1, qualifiedTable);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        if (columns.size() != 1) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "Table '" + qualifiedTable + "' has no single-column primary key to walk (found " + columns + ").",
                    "Name a unique, not-null key column with key(...).",
                    null);
        }
        return columns.get(0);
    }

    private @Nullable String queryString(String sql, String... parameters) throws SQLException {
        try (PreparedStatement statement = this.connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** One walk over the table, resuming from the recorded progress. */
    private final class Walk {

        private final String table;

        private final String name;

        private final String firstRange;

        private final String nextRange;

        Walk(String table, String column, String keyType, String name, String owner) {
            this.table = table;
            this.name = name;
            // The range query opens each batch's transaction and carries the fencing check: a run that
            // took the lock over waits for this batch, and this run's next batch stops on it.
            String range = "SELECT min(k), max(k), CAST(max(k) AS text), count(*), " + owner + " FROM (SELECT " + column
                    + " AS k FROM " + table + " %s ORDER BY " + column + " LIMIT ?) AS r";
            this.firstRange = range.formatted("");
            this.nextRange = range.formatted("WHERE " + column + " > CAST(? AS " + keyType + ")");
        }

        BackfillResult run(RangeWork work) throws SQLException {
            Connection connection = KeysetBackfill.this.connection;
            PostgresDataHistory history = KeysetBackfill.this.history;
            String version = KeysetBackfill.this.version;
            Optional<PostgresDataHistory.Progress> resumed = history.progress(connection, version, this.name);
            String lastKey = resumed.map(PostgresDataHistory.Progress::lastKey).orElse(null);
            long rowsBefore =
                    resumed.map(PostgresDataHistory.Progress::rowsDone).orElse(0L);
            long batchesBefore =
                    resumed.map(PostgresDataHistory.Progress::batches).orElse(0L);
            long estimate = estimateRows(connection);
            if (lastKey != null) {
                KeysetBackfill.this.logger.info(
                        "Resuming backfill of {} after key '{}' ({} rows in {} batches done before)",
                        this.table,
                        lastKey,
                        rowsBefore,
                        batchesBefore);
            }
            long start = System.nanoTime();
            long lastLog = start;
            long rows = 0;
            long batches = 0;
            long longest = 0;
            BatchSizer sizer = new BatchSizer(
                    KeysetBackfill.this.batchSize, KeysetBackfill.this.maxBatchSize, KeysetBackfill.this.batchTime);
            connection.setAutoCommit(false);
            try (PreparedStatement first = connection.prepareStatement(this.firstRange);
                    PreparedStatement next = connection.prepareStatement(this.nextRange)) {
                while (true) {
                    long batchStart = System.nanoTime();
                    long batch = batchesBefore + batches + 1;
                    String from = lastKey;
                    long doneBefore = rowsBefore + rows;
                    // A batch that hit its lock timeout rolled back whole, progress row included: the
                    // next try takes the range again from the same key, halved when sized to time.
                    Batch done;
                    while (true) {
                        try {
                            done = KeysetBackfill.this.retries.run(
                                    "Batch " + batch + " of the backfill of " + this.table,
                                    KeysetBackfill.this.pid,
                                    (attempt, profile) -> {
                                        if (attempt > 0) {
                                            SessionTimeouts.apply(connection, profile, true);
                                            sizer.shrink();
                                        }
                                        return batch(
                                                connection,
                                                (from == null) ? first : next,
                                                from,
                                                work,
                                                batch,
                                                doneBefore,
                                                sizer.size());
                                    },
                                    connection::rollback,
                                    KeysetBackfill.this.fence::ensureHeld);
                            break;
                        } catch (SQLException ex) {
                            // A batch too big for the statement timeout: the same range, halved.
                            if (!SessionTimeouts.isStatementTimeout(ex) || !sizer.timed() || sizer.size() == 1) {
                                throw ex;
                            }
                            connection.rollback();
                            KeysetBackfill.this.fence.ensureHeld();
                            sizer.shrink();
                            KeysetBackfill.this.logger.warn(
                                    "Batch {} of the backfill of {} hit the statement timeout and was rolled back;"
                                            + " trying it again with {} rows",
                                    batch,
                                    this.table,
                                    sizer.size());
                        }
                    }
                    if (done == null) {
                        break;
                    }
                    lastKey = done.lastKey();
                    rows += done.rows();
                    batches++;
                    long now = System.nanoTime();
                    longest = Math.max(longest, now - batchStart);
                    sizer.done(done.range(), now - batchStart);
                    if (now - lastLog >= LOG_EVERY.toNanos()) {
                        logProgress(rowsBefore + rows, estimate, rows, now - start, sizer);
                        lastLog = now;
                    }
                }
            } catch (RuntimeException ex) {
                connection.rollback();
                throw ex;
            } catch (SQLException ex) {
                connection.rollback();
                throw new BackfillFailure(this.table, batchesBefore + batches + 1, ex);
            } finally {
                connection.setAutoCommit(true);
            }
            Duration duration = Duration.ofNanos(System.nanoTime() - start);
            // The history records every row the migration changed, across resumed runs.
            KeysetBackfill.this.rowsDone.accept(rowsBefore + rows);
            KeysetBackfill.this.logger.info(
                    "Backfill of {} done: {} rows in {} batches, {} ms (longest batch {} ms, last batch size {} rows)",
                    this.table,
                    rows,
                    batches,
                    duration.toMillis(),
                    Duration.ofNanos(longest).toMillis(),
                    sizer.size());
            return new BackfillResult(rows, batches, duration, Duration.ofNanos(longest));
        }

        /**
         * Process and commit the range after a key, with its progress row; return it, or
         * {@code null} when no row is left (the transaction then ends too).
         */
        private @Nullable Batch batch(
                Connection connection,
                PreparedStatement rangeQuery,
                @Nullable String from,
                RangeWork work,
                long batch,
                long doneBefore,
                int size)
                throws SQLException {
            int parameter = 1;
            if (from != null) {
                rangeQuery.setString(parameter++, from);
            }
            rangeQuery.setInt(parameter, size);
            Object low;
            Object high;
            String lastKey;
            long range;
            try (ResultSet rs = rangeQuery.executeQuery()) {
                rs.next();
                KeysetBackfill.this.fence.verify(connection, rs.getString(5));
                if (rs.getLong(4) == 0) {
                    connection.commit();
                    return null;
                }
                low = rs.getObject(1);
                high = rs.getObject(2);
                lastKey = rs.getString(3);
                range = rs.getLong(4);
            }
            long changed;
            try {
                changed = work.process(connection, low, high);
            } catch (SQLException ex) {
                if (SessionTimeouts.isLockTimeout(ex) || SessionTimeouts.isStatementTimeout(ex)) {
                    throw ex;
                }
                throw new BackfillFailure(this.table, batch, ex);
            } catch (RuntimeException ex) {
                throw new BackfillFailure(this.table, batch, ex);
            }
            KeysetBackfill.this.history.saveProgress(
                    connection,
                    KeysetBackfill.this.version,
                    this.name,
                    new PostgresDataHistory.Progress(lastKey, doneBefore + changed, batch, size));
            connection.commit();
            return new Batch(lastKey, changed, range);
        }

        private long estimateRows(Connection connection) throws SQLException {
            // The planner's estimate is free; a table never analyzed has none (-1), so count it once.
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = CAST(? AS regclass)")) {
                statement.setString(1, this.table);
                try (ResultSet rs = statement.executeQuery()) {
                    long estimate = rs.next() ? rs.getLong(1) : -1;
                    if (estimate >= 0) {
                        return estimate;
                    }
                }
            }
            try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM " + this.table);
                    ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }

        private void logProgress(long done, long estimate, long rowsThisRun, long elapsedNanos, BatchSizer sizer) {
            double perSecond = rowsThisRun / (elapsedNanos / 1e9);
            String left = (estimate > done && perSecond > 0)
                    ? ", about " + Math.round((estimate - done) / perSecond) + " s left"
                    : "";
            KeysetBackfill.this.logger.info(
                    "Backfill of {}: {} of ~{} rows done, {} rows/s, batches of {} rows{}",
                    this.table,
                    done,
                    Math.max(estimate, done),
                    Math.round(perSecond),
                    sizer.size(),
                    left);
        }
    }

    /** A committed batch: the last key of its range, the rows it changed and the rows in its range. */
    private record Batch(String lastKey, long rows, long range) {}

    /**
     * The size of the next batch. Fixed without a time budget; with one, each next batch is sized
     * from the time per row of the batches so far (a moving average weighted to the recent ones, so
     * that it follows a table whose rows grow costlier as the walk goes), at most doubling from one
     * batch to the next, and halved after a timeout.
     */
    static final class BatchSizer {

        private final int max;

        private final long targetNanos;

        private int size;

        private double nanosPerRow = -1;

        BatchSizer(int start, int max, Duration time) {
            this.max = Math.max(1, max);
            this.size = Math.min(Math.max(1, start), this.max);
            this.targetNanos = time.toNanos();
        }

        boolean timed() {
            return this.targetNanos > 0;
        }

        int size() {
            return this.size;
        }

        /** Take in a committed batch: the rows in its range, and how long it took. */
        void done(long rows, long nanos) {
            if (!timed() || rows <= 0) {
                return;
            }
            double perRow = (double) nanos / rows;
            this.nanosPerRow = (this.nanosPerRow < 0) ? perRow : 0.5 * this.nanosPerRow + 0.5 * perRow;
            double next = this.targetNanos / this.nanosPerRow;
            this.size = (int) Math.max(1, Math.min(Math.min(next, 2.0 * this.size), this.max));
        }

        /** Halve the next batch after a timeout, and take its rows to cost twice as long. */
        void shrink() {
            if (!timed()) {
                return;
            }
            this.size = Math.max(1, this.size / 2);
            if (this.nanosPerRow > 0) {
                this.nanosPerRow *= 2;
            }
        }
    }

    /** A failed range, with its batch number; the ranges before it are committed. */
    static final class BackfillFailure extends RuntimeException {

        private final String table;

        private final long batch;

        BackfillFailure(String table, long batch, Throwable cause) {
            super(cause.getMessage(), cause);
            this.table = table;
            this.batch = batch;
        }

        String table() {
            return this.table;
        }

        long batch() {
            return this.batch;
        }
    }
}
