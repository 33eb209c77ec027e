package dev.migrator.core.internal.data;

import dev.migrator.core.AppliedMigration;
import dev.migrator.core.Redactor;
import dev.migrator.core.data.DataMigration;
import dev.migrator.core.internal.lock.Fence;
import dev.migrator.core.lock.LockLostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's connection for applying data migrations, one connection for the whole run as Flyway
 * does; closing the session returns it. Runs under the cluster lock.
 */
public final class DataSession implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(DataSession.class);

    private final Connection connection;

    private final PostgresDataHistory history;

    private final int batchSize;

    private final Fence fence;

    DataSession(Connection connection, PostgresDataHistory history, int batchSize, Fence fence) {
        this.connection = connection;
        this.history = history;
        this.batchSize = batchSize;
        this.fence = fence;
    }

    /**
     * Apply one migration and record it. A transactional migration and its history row commit
     * together; a failed one leaves nothing. A non-transactional one that fails is recorded as
     * failed and retried by the next run, its backfills resuming after their last completed batch.
     */
    public AppliedMigration apply(ResolvedDataMigration migration, Optional<String> schemaVersion) {
        long start = System.nanoTime();
        long[] rows = {0};
        boolean[] counted = {false};
        LongConsumer rowCounter = n -> {
            rows[0] += n;
            counted[0] = true;
        };
        Connection connection = this.connection;
        try {
            this.fence.ensureHeld();
            connection.setAutoCommit(!migration.transactional());
            try {
                // In a transaction, the check holds the fencing row until the commit: a run taking
                // the lock over waits for it. Without one, it is a check only; the statements of
                // such a migration are not fenced one by one, its backfill batches and history are.
                this.fence.check(connection);
                if (migration.sql().isPresent()) {
                    runSql(connection, migration.sql().get(), rowCounter, this.fence, !migration.transactional());
                } else {
                    DataMigration java = migration.java().orElseThrow();
                    java.migrate(new DataContext(
                            connection,
                            this.history,
                            migration,
                            schemaVersion,
                            this.batchSize,
                            rowCounter,
                            this.fence));
                    connection.setAutoCommit(!migration.transactional());
                }
                int millis = millisSince(start);
                if (!migration.transactional()) {
                    connection.setAutoCommit(false);
                    this.fence.check(connection);
                }
                record(migration, millis, counted[0] ? rows[0] : null, true);
                if (migration.java().isPresent() && migration.versionText().isPresent()) {
                    // Only Java migrations run backfills, which leave progress rows behind.
                    this.history.clearProgress(
                            connection, migration.versionText().get());
                }
                connection.commit();
                connection.setAutoCommit(true);
                logger.info(
                        "Applied data migration {} ({}) in {} ms{}",
                        migration.versionText().orElse("repeatable"),
                        migration.script(),
                        millis,
                        counted[0] ? ", " + rows[0] + " rows" : "");
                return new AppliedMigration(migration.entry(), Duration.ofMillis(millis));
            } catch (Exception ex) {
                if (migration.transactional() || ex instanceof LockLostException) {
                    // A run that lost the lock records nothing: the run that took it over owns the history.
                    rollbackQuietly();
                } else {
                    recordFailure(migration, start);
                }
                throw DataFailures.failed(migration, ex);
            }
        } catch (SQLException ex) {
            throw DataFailures.failed(migration, ex);
        }
    }

    private static int millisSince(long start) {
        return (int) Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    private static void runSql(
            Connection connection, SqlScript script, LongConsumer rows, Fence fence, boolean betweenStatements)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (SqlScript.Statement sql : script.statements()) {
                if (betweenStatements) {
                    fence.ensureHeld();
                }
                try {
                    statement.execute(sql.sql());
                    int count = statement.getUpdateCount();
                    if (count > 0) {
                        rows.accept(count);
                    }
                } catch (SQLException ex) {
                    throw new DataFailures.StatementFailure(sql.line(), ex);
                }
            }
        }
    }

    private void record(ResolvedDataMigration migration, int millis, @Nullable Long rows, boolean success)
            throws SQLException {
        this.history.insert(
                this.connection,
                migration.versionText().orElse(null),
                migration.description(),
                migration.type(),
                migration.script(),
                migration.checksum().orElse(null),
                millis,
                rows,
                success);
    }

    private void recordFailure(ResolvedDataMigration migration, long start) {
        try {
            if (!this.connection.getAutoCommit()) {
                this.connection.rollback();
            }
            this.connection.setAutoCommit(false);
            this.fence.check(this.connection);
            record(migration, millisSince(start), null, false);
            this.connection.commit();
            this.connection.setAutoCommit(true);
        } catch (SQLException | LockLostException ex) {
            rollbackQuietly();
            logger.warn(
                    "Could not record data migration {} as failed: {}",
                    migration.script(),
                    Redactor.redact(String.valueOf(ex.getMessage())));
        }
    }

    private void rollbackQuietly() {
        try {
            if (!this.connection.getAutoCommit()) {
                this.connection.rollback();
                this.connection.setAutoCommit(true);
            }
        } catch (SQLException ex) {
            logger.debug("Rollback failed", ex);
        }
    }

    @Override
    public void close() {
        try {
            this.connection.close();
        } catch (SQLException ex) {
            logger.debug("Could not close a connection", ex);
        }
    }
}
