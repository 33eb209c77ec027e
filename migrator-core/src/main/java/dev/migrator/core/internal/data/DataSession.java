package dev.migrator.core.internal.data;

import dev.migrator.core.AppliedMigration;
import dev.migrator.core.Redactor;
import dev.migrator.core.analysis.Finding;
import dev.migrator.core.analysis.Rule;
import dev.migrator.core.data.DataMigration;
import dev.migrator.core.internal.analysis.Allowances;
import dev.migrator.core.internal.analysis.Analyzer;
import dev.migrator.core.internal.lock.Fence;
import dev.migrator.core.internal.timeout.LockRetries;
import dev.migrator.core.internal.timeout.SessionTimeouts;
import dev.migrator.core.lock.LockLostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    private final Batching batching;

    private final Fence fence;

    private final int pid;

    private final SessionTimeouts.Profile original;

    private final LockRetries retries;

    private final boolean analysis;

    /** Each data migration commits on its own. */
    private final Analyzer.Session observer = new Analyzer.Session(false);

    private final java.util.function.Predicate<ResolvedDataMigration> hasUndo;

    /** The timeouts set on the session now, outside a transaction. */
    private SessionTimeouts.Profile current;

    DataSession(
            Connection connection,
            int pid,
            SessionTimeouts.Profile original,
            PostgresDataHistory history,
            Batching batching,
            Fence fence,
            LockRetries retries,
            boolean analysis,
            java.util.function.Predicate<ResolvedDataMigration> hasUndo) {
        this.analysis = analysis;
        this.hasUndo = hasUndo;
        this.connection = connection;
        this.pid = pid;
        this.original = original;
        this.history = history;
        this.batching = batching;
        this.fence = fence;
        this.retries = retries;
        this.current = retries.timeouts().transactional(0);
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
        String what = "Data migration '" + migration.script() + "'";
        this.fence.ensureHeld();
        List<Finding> findings = List.of();
        try {
            Map<Rule, String> allowed = this.analysis ? allowances(migration) : Map.of();
            if (migration.transactional()) {
                connection.setAutoCommit(false);
                // One try per transaction: a try that hit its lock timeout rolled back everything,
                // so the next starts from scratch, rows counted anew.
                findings = this.retries.run(
                        what,
                        this.pid,
                        (attempt, profile) -> {
                            rows[0] = 0;
                            counted[0] = false;
                            if (attempt > 0) {
                                SessionTimeouts.apply(connection, profile, true);
                            }
                            // The check holds the fencing row until the commit: a run taking the
                            // lock over waits for it.
                            this.fence.check(connection);
                            Analyzer.Before before = observeBefore(migration, allowed, true);
                            runMigration(migration, schemaVersion, rowCounter, what);
                            return observeAfter(before, migration);
                        },
                        connection::rollback,
                        this.fence::ensureHeld);
            } else {
                // A check only: the statements of such a migration are not fenced one by one,
                // its backfill batches and history are.
                connection.setAutoCommit(true);
                this.fence.check(connection);
                Analyzer.Before before = observeBefore(migration, allowed, false);
                runMigration(migration, schemaVersion, rowCounter, what);
                findings = observeAfter(before, migration);
                connection.setAutoCommit(false);
                this.fence.check(connection);
            }
            int millis = millisSince(start);
            record(migration, millis, counted[0] ? rows[0] : null, true);
            if (migration.java().isPresent() && migration.versionText().isPresent()) {
                // Only Java migrations run backfills, which leave progress rows behind.
                this.history.clearProgress(connection, migration.versionText().get());
            }
            connection.commit();
            connection.setAutoCommit(true);
            logger.info(
                    "Applied data migration {} ({}) in {} ms{}",
                    migration.versionText().orElse("repeatable"),
                    migration.script(),
                    millis,
                    counted[0] ? ", " + rows[0] + " rows" : "");
            Analyzer.log(findings);
            return new AppliedMigration(migration.entry(), Duration.ofMillis(millis), findings);
        } catch (Exception ex) {
            if (migration.transactional() || ex instanceof LockLostException) {
                // A run that lost the lock records nothing: the run that took it over owns the history.
                rollbackQuietly();
            } else {
                recordFailure(migration, start);
            }
            throw DataFailures.failed(migration, ex);
        }
    }

    /** Say that other work (schema migrations) ran since the last data migration of this session. */
    public void otherWorkRan() {
        this.observer.forget();
    }

    private static Map<Rule, String> allowances(ResolvedDataMigration migration) {
        if (migration.sql().isPresent()) {
            return Allowances.of(migration.script(), migration.sql().get().text());
        }
        return Allowances.of(migration.java().orElseThrow().getClass());
    }

    private Analyzer.@Nullable Before observeBefore(
            ResolvedDataMigration migration, Map<Rule, String> allowed, boolean transactional) throws SQLException {
        if (!this.analysis) {
            return null;
        }
        Analyzer.Before before =
                this.observer.before(this.connection, allowed, migration.sql().orElse(null), transactional);
        if (migration.versionText().isPresent() && !this.hasUndo.test(migration)) {
            before.withoutUndo(migration.versionText().get());
        }
        return before;
    }

    private List<Finding> observeAfter(Analyzer.@Nullable Before before, ResolvedDataMigration migration)
            throws SQLException {
        return (before == null)
                ? List.of()
                : this.observer
                        .observe(before, this.connection, migration.script())
                        .findings();
    }

    private void runMigration(
            ResolvedDataMigration migration, Optional<String> schemaVersion, LongConsumer rowCounter, String what)
            throws Exception {
        if (migration.sql().isPresent()) {
            runSql(migration.sql().get(), rowCounter, !migration.transactional(), what);
            return;
        }
        DataMigration java = migration.java().orElseThrow();
        java.migrate(new DataContext(
                this.connection,
                this.history,
                migration,
                schemaVersion,
                this.batching,
                rowCounter,
                this.fence,
                this.retries,
                this.pid));
        this.connection.setAutoCommit(!migration.transactional());
    }

    private static int millisSince(long start) {
        return (int) Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    /**
     * Run a script's statements. Outside a transaction, each statement commits alone: a
     * {@code CONCURRENTLY} one runs under the longer timeouts, any other is tried again when it hits
     * its lock timeout, as a transaction would be.
     */
    private void runSql(SqlScript script, LongConsumer rows, boolean alone, String what) throws SQLException {
        try (Statement statement = this.connection.createStatement()) {
            for (SqlScript.Statement sql : script.statements()) {
                try {
                    if (!alone) {
                        execute(statement, sql, rows);
                    } else if (sql.concurrently()) {
                        this.fence.ensureHeld();
                        sessionProfile(this.retries.timeouts().nonTransactional());
                        execute(statement, sql, rows);
                    } else {
                        this.fence.ensureHeld();
                        this.retries.run(
                                what + " at line " + sql.line(),
                                this.pid,
                                (attempt, profile) -> {
                                    sessionProfile(profile);
                                    execute(statement, sql, rows);
                                    return null;
                                },
                                () -> {},
                                this.fence::ensureHeld);
                    }
                } catch (SQLException ex) {
                    throw new DataFailures.StatementFailure(sql.line(), ex);
                }
            }
        } finally {
            if (alone) {
                sessionProfile(this.retries.timeouts().transactional(0));
            }
        }
    }

    private static void execute(Statement statement, SqlScript.Statement sql, LongConsumer rows) throws SQLException {
        statement.execute(sql.sql());
        int count = statement.getUpdateCount();
        if (count > 0) {
            rows.accept(count);
        }
    }

    /** Set the session's timeouts outside a transaction, when they differ from the ones set. */
    private void sessionProfile(SessionTimeouts.Profile profile) throws SQLException {
        if (!profile.equals(this.current)) {
            SessionTimeouts.apply(this.connection, profile, false);
            this.current = profile;
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
        this.observer.close();
        try {
            // The connection goes back to the application's pool: with its own timeouts.
            rollbackQuietly();
            SessionTimeouts.restore(this.connection, this.original);
        } catch (SQLException ex) {
            logger.debug("Could not put back the session's own timeouts", ex);
        }
        try {
            this.connection.close();
        } catch (SQLException ex) {
            logger.debug("Could not close a connection", ex);
        }
    }
}
