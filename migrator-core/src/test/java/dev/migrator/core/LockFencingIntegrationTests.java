package dev.migrator.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.data.D2__CountEachItemOnce;
import dev.migrator.core.lock.LockHolder;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cluster lock under faults, against a real PostgreSQL: the lock session is terminated with
 * {@code pg_terminate_backend} while a run works, as an administrator, an idle timeout, a failover
 * or a network cut would end it.
 */
class LockFencingIntegrationTests {

    /** SQL run by a migration: ends the session that holds migrator's lock, the only other advisory lock here. */
    private static final String TERMINATE_LOCK_SESSION = "SELECT pg_terminate_backend(pid) FROM pg_locks"
            + " WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()"
            + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database());";

    @TempDir
    Path migrations;

    private FreshDatabase database;

    @BeforeEach
    void createDatabase() throws IOException {
        this.database = TestPostgres.server().createDatabase();
        // 200 rows, which D2__CountEachItemOnce walks in batches of 5 with a pause: about 2 s of backfill.
        script(
                "V1__create_item.sql",
                "CREATE TABLE item (id bigint PRIMARY KEY, counter int NOT NULL DEFAULT 0);"
                        + " INSERT INTO item (id) SELECT generate_series(1, 200);");
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void aRunThatLostItsLockStopsAndTheRunThatTakesOverProcessesEveryRowOnce() throws Exception {
        Migrator first = backfilling();
        Migrator second = backfilling();
        CompletableFuture<RunReport> a = CompletableFuture.supplyAsync(first::migrate);
        await("the backfill of A has committed batches", () -> batchesDone() >= 3);

        // B goes straight to the data track, so it takes over well before A's watcher sees the loss:
        // only the fencing token keeps A's next batches from committing beside B's.
        terminateLockSession(first);
        CompletableFuture<RunReport> b = CompletableFuture.supplyAsync(second::migrateData);

        MigrationFailedException lost = failure(a);
        RunReport taken = b.get(60, TimeUnit.SECONDS);
        assertThat(lost.code()).isEqualTo(ErrorCode.LOCK_LOST);
        assertThat(lost.getMessage())
                .contains("Lost the migration lock on")
                .contains("no work ran twice")
                .contains("Committed by this run before it stopped: 1 schema migration(s) [V1__create_item.sql]");
        assertThat(lost.report().dataApplied()).isEmpty();
        assertThat(taken.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(taken.dataApplied())
                .extracting(applied -> applied.migration().script())
                .containsExactly(D2__CountEachItemOnce.class.getName());
        assertThat(count("SELECT count(*) FROM item WHERE counter = 1"))
                .as("every row processed exactly once")
                .isEqualTo(200);
        assertThat(count("SELECT count(*) FROM migrator_data_history")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM migrator_data_history WHERE success"))
                .isEqualTo(1);
        assertThat(count("SELECT token FROM migrator_data_history_lock")).isEqualTo(2);
        assertThat(backfilling().migrate().dataApplied())
                .as("the next start is clean")
                .isEmpty();
    }

    @Test
    void aRunWhoseLockSessionEndsStopsAtTheNextBatchAndTheNextRunResumes() throws Exception {
        Migrator first = backfilling();
        CompletableFuture<RunReport> a = CompletableFuture.supplyAsync(first::migrate);
        await("the backfill has committed batches", () -> batchesDone() >= 3);

        terminateLockSession(first);

        MigrationFailedException lost = failure(a);
        assertThat(lost.code()).isEqualTo(ErrorCode.LOCK_LOST);
        assertThat(lost.getMessage()).contains("ended").contains("Start again");
        long done = batchesDone();
        assertThat(done).as("stopped part-way").isBetween(3L, 39L);
        assertThat(count("SELECT count(*) FROM migrator_data_history"))
                .as("a run that lost its lock records nothing")
                .isZero();

        RunReport resumed = backfilling().migrate();

        assertThat(resumed.dataApplied()).hasSize(1);
        assertThat(count("SELECT count(*) FROM item WHERE counter = 1")).isEqualTo(200);
        assertThat(count("SELECT count(*) FROM migrator_data_history WHERE success"))
                .isEqualTo(1);
    }

    @ParameterizedTest(name = "Flyway transactional lock: {0}")
    @ValueSource(booleans = {false, true})
    void aSchemaRunWhoseLockSessionEndsStopsBeforeTheNextMigrationAndSaysWhatItApplied(boolean transactionalLock)
            throws Exception {
        for (int i = 2; i <= 30; i++) {
            script("V" + i + "__step_" + i + ".sql", "CREATE TABLE step_" + i + " (id int); SELECT pg_sleep(0.1);");
        }
        Migrator first =
                migrator().postgresqlTransactionalLock(transactionalLock).load();
        CompletableFuture<RunReport> a = CompletableFuture.supplyAsync(first::migrate);
        await("a few schema migrations applied", () -> historyRows() >= 4);

        terminateLockSession(first);

        MigrationFailedException lost = failure(a);
        long applied = historyRows();
        assertThat(lost.code()).isEqualTo(ErrorCode.LOCK_LOST);
        assertThat(applied).as("stopped part-way").isLessThan(30);
        assertThat(lost.getMessage()).contains("Committed by this run before it stopped: " + applied + " schema");
        assertThat(lost.report().schemaApplied()).hasSize((int) applied);
        assertThat(count("SELECT count(*) FROM flyway_schema_history WHERE NOT success"))
                .isZero();
        assertThat(count("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'step\\_%'"))
                .as("every table created is recorded, and only those")
                .isEqualTo(applied - 1);

        assertThat(migrator().load().migrate().schemaApplied()).hasSize(30 - (int) applied);
    }

    @Test
    void aRunThatFailsAfterLosingItsLockBeforeTheWatcherSawItIsToldAsTheLostLock() throws Exception {
        // The migration ends the lock session and then fails at once, well inside the watcher's second.
        script("V2__lose_the_lock_then_fail.sql", TERMINATE_LOCK_SESSION + " SELECT 1 / 0;");

        MigrationFailedException failure =
                failure(CompletableFuture.supplyAsync(() -> migrator().load().migrate()));

        assertThat(failure.code()).isEqualTo(ErrorCode.LOCK_LOST);
        assertThat(failure.getMessage())
                .contains("Lost the migration lock on")
                .contains("Before it stopped, the run failed:")
                .contains("division by zero")
                .contains("Committed by this run before it stopped: 1 schema migration(s) [V1__create_item.sql]");
        assertThat(failure.getCause()).isInstanceOf(MigratorException.class);
    }

    @Test
    void aRunThatLostItsLockBeforeTheWatcherSawItDoesNotCreateTheDataHistory() throws Exception {
        // The last schema migration ends the lock session; the data track comes next, within the second.
        script("V2__lose_the_lock.sql", TERMINATE_LOCK_SESSION);

        MigrationFailedException lost =
                failure(CompletableFuture.supplyAsync(() -> backfilling().migrate()));

        assertThat(lost.code()).isEqualTo(ErrorCode.LOCK_LOST);
        assertThat(lost.report().schemaApplied()).hasSize(2);
        assertThat(count("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'migrator\\_data\\_history%'"))
                .as("the data history is created behind the fence, as a run that took the lock over would create it")
                .isZero();
        assertThat(backfilling().migrate().dataApplied())
                .as("the next start is clean")
                .hasSize(1);
        assertThat(count("SELECT count(*) FROM item WHERE counter = 1")).isEqualTo(200);
    }

    @Test
    void theLockSessionOutlivesTheServersIdleTimeouts() throws Exception {
        execute("ALTER DATABASE \"" + this.database.name() + "\" SET idle_session_timeout = '300ms'");
        execute("ALTER DATABASE \"" + this.database.name() + "\" SET idle_in_transaction_session_timeout = '300ms'");

        RunReport report = backfilling().migrate();

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(report.duration()).isGreaterThan(Duration.ofSeconds(1));
        assertThat(count("SELECT count(*) FROM item WHERE counter = 1")).isEqualTo(200);
    }

    private Migrator backfilling() {
        return migrator().dataMigrations(List.of(new D2__CountEachItemOnce())).load();
    }

    private MigratorConfiguration migrator() {
        return Migrator.configure(this.database.dataSource()).schemaLocations("filesystem:" + this.migrations);
    }

    private static MigrationFailedException failure(CompletableFuture<RunReport> run) throws Exception {
        try {
            RunReport report = run.get(60, TimeUnit.SECONDS);
            throw new AssertionError("expected the run to fail, but it applied " + report.dataApplied());
        } catch (java.util.concurrent.ExecutionException ex) {
            assertThat(ex.getCause()).isInstanceOf(MigrationFailedException.class);
            return (MigrationFailedException) ex.getCause();
        } catch (CompletionException ex) {
            return (MigrationFailedException) ex.getCause();
        }
    }

    private void terminateLockSession(Migrator migrator) throws SQLException {
        Optional<LockHolder> holder = migrator.lockHolder();
        assertThat(holder).as("the lock is held").isPresent();
        execute("SELECT pg_terminate_backend(" + holder.get().pid() + ")");
    }

    private long batchesDone() {
        try {
            return count("SELECT coalesce(sum(batches), 0) FROM migrator_data_history_progress");
        } catch (SQLException ex) {
            return 0; // not created yet
        }
    }

    private long historyRows() {
        try {
            return count("SELECT count(*) FROM flyway_schema_history");
        } catch (SQLException ex) {
            return 0;
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 30 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private Path script(String name, String sql) throws IOException {
        return Files.writeString(this.migrations.resolve(name), sql);
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = this.database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = this.database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
