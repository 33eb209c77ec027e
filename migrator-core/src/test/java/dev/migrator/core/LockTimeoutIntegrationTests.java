package dev.migrator.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.migrator.core.data.D2__CountEachItemOnce;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations behind real blocking sessions, against a real PostgreSQL: each migration session has a
 * lock timeout, a migration that hits it in a transaction is rolled back and tried again with a
 * higher one, and the one that gives up names the session that blocked it.
 */
class LockTimeoutIntegrationTests {

    @TempDir
    Path schema;

    @TempDir
    Path data;

    private FreshDatabase database;

    private Connection blocker;

    @BeforeEach
    void createDatabase() throws Exception {
        this.database = TestPostgres.server().createDatabase();
        script(
                this.schema,
                "V1__create_account.sql",
                "CREATE TABLE account (id bigint PRIMARY KEY, note text);"
                        + " INSERT INTO account (id) SELECT generate_series(1, 20);");
        migrator(this.database.dataSource()).load().migrate();
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        if (this.blocker != null) {
            this.blocker.close();
        }
        this.database.close();
    }

    @Test
    void aSchemaMigrationBehindALongTransactionGivesUpNamesTheBlockerAndNeverQueuesTheServiceForLong()
            throws Exception {
        script(this.schema, "V2__add_status.sql", "ALTER TABLE account ADD COLUMN status text;");
        int blockerPid = holdOpenTransaction("report-job", "SELECT count(*) FROM account WHERE note <> 'secret-value'");

        CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(() -> migrator(this.database.dataSource())
                .lockTimeout(Duration.ofMillis(300), Duration.ofMillis(600))
                .lockRetries(2, Duration.ofMillis(50))
                .load()
                .migrate());
        // A query of the service queues behind the migration's waiting ACCESS EXCLUSIVE request, for
        // no longer than the migration's lock timeout: it ends while the blocking transaction is open.
        Thread.sleep(100);
        assertThat(count("SELECT count(*) FROM account")).isEqualTo(20);
        assertThat(stillOpen(blockerPid))
                .as("the service's query ended before the blocker")
                .isTrue();

        MigrationFailedException failure = failure(run);
        assertThat(failure.code()).isEqualTo(ErrorCode.BLOCKED);
        assertThat(failure.getMessage())
                .contains("Schema migration 'V2__add_status.sql' gave up waiting for a lock")
                .contains("300 ms rising to 600 ms) on each of 3 tries")
                .contains("pid " + blockerPid + " (application 'report-job'")
                .contains("idle in transaction")
                .contains("SELECT count(*) FROM account WHERE note <> '…'")
                .doesNotContain("secret-value")
                .contains("pg_terminate_backend(" + blockerPid + ")");
        assertThat(count("SELECT count(*) FROM flyway_schema_history"))
                .as("nothing recorded")
                .isEqualTo(1);
        assertThat(
                        count(
                                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'account' AND column_name = 'status'"))
                .isZero();

        this.blocker.close();
        this.blocker = null;
        assertThat(migrator(this.database.dataSource()).load().migrate().schemaApplied())
                .as("the next start applies it")
                .hasSize(1);
    }

    @Test
    void aMigrationThatHitsItsLockTimeoutIsTriedAgainAndAppliedOnceTheBlockerEnds() throws Exception {
        script(this.schema, "V2__add_status.sql", "ALTER TABLE account ADD COLUMN status text;");
        holdOpenTransaction("short-job", "SELECT count(*) FROM account");
        Connection held = this.blocker;
        this.blocker = null;
        // Longer than the first try's timeout: only a retry can apply it.
        CompletableFuture.runAsync(() -> closeAfter(held, 700));

        RunReport report = migrator(this.database.dataSource())
                .lockTimeout(Duration.ofMillis(200), Duration.ofSeconds(2))
                .lockRetries(5, Duration.ofMillis(100))
                .load()
                .migrate();

        assertThat(report.schemaApplied())
                .extracting(applied -> applied.migration().script())
                .containsExactly("V2__add_status.sql");
        assertThat(
                        count(
                                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'account' AND column_name = 'status'"))
                .isEqualTo(1);
    }

    @Test
    void aTransactionalDataMigrationThatGivesUpRecordsNothingAndNamesTheBlocker() throws Exception {
        script(this.data, "D1__fill_notes.sql", "UPDATE account SET note = 'n' WHERE id = 7;");
        int blockerPid = holdOpenTransaction("row-locker", "SELECT * FROM account WHERE id = 7 FOR UPDATE");

        MigrationFailedException failure =
                failure(CompletableFuture.supplyAsync(() -> migrator(this.database.dataSource())
                        .dataLocations("filesystem:" + this.data)
                        .lockTimeout(Duration.ofMillis(200), Duration.ofMillis(200))
                        .lockRetries(1, Duration.ofMillis(10))
                        .load()
                        .migrate()));

        assertThat(failure.code()).isEqualTo(ErrorCode.BLOCKED);
        assertThat(failure.getMessage())
                .contains("Data migration 'D1__fill_notes.sql' gave up waiting for a lock")
                .contains("on each of 2 tries")
                .contains("pid " + blockerPid + " (application 'row-locker'");
        assertThat(count("SELECT count(*) FROM migrator_data_history"))
                .as("nothing recorded")
                .isZero();
        assertThat(count("SELECT count(*) FROM account WHERE note = 'n'")).isZero();
    }

    @Test
    void aBackfillBatchBehindARowLockIsTriedAgainAndEveryRowIsProcessedOnce() throws Exception {
        script(
                this.schema,
                "V2__create_item.sql",
                "CREATE TABLE item (id bigint PRIMARY KEY, counter int NOT NULL"
                        + " DEFAULT 0); INSERT INTO item (id) SELECT generate_series(1, 40);");
        migrator(this.database.dataSource()).load().migrate();
        holdOpenTransaction("row-locker", "SELECT * FROM item WHERE id = 23 FOR UPDATE");
        Connection held = this.blocker;
        this.blocker = null;
        CompletableFuture.runAsync(() -> closeAfter(held, 600));

        RunReport report = migrator(this.database.dataSource())
                .dataMigrations(List.of(new D2__CountEachItemOnce()))
                .lockTimeout(Duration.ofMillis(150), Duration.ofSeconds(2))
                .lockRetries(6, Duration.ofMillis(50))
                .load()
                .migrate();

        assertThat(report.dataApplied()).hasSize(1);
        assertThat(count("SELECT count(*) FROM item WHERE counter = 1"))
                .as("every row exactly once, the retried batch included")
                .isEqualTo(40);
        assertThat(count("SELECT rows_affected FROM migrator_data_history")).isEqualTo(40);
    }

    @Test
    void aConcurrentIndexWaitsForOlderTransactionsUnderTheLongerProfile() throws Exception {
        script(this.schema, "V2__index_note.sql", "CREATE INDEX CONCURRENTLY account_note ON account (note);");
        holdOpenTransaction("reader", "SELECT count(*) FROM account");
        Connection held = this.blocker;
        this.blocker = null;
        CompletableFuture.runAsync(() -> closeAfter(held, 500));

        // Far shorter than the wait for the open transaction: under it, the index build would fail.
        RunReport report = migrator(this.database.dataSource())
                .lockTimeout(Duration.ofMillis(20), Duration.ofMillis(20))
                .nonTransactionalTimeouts(Duration.ofSeconds(30), Duration.ZERO)
                .load()
                .migrate();

        assertThat(report.schemaApplied()).hasSize(1);
        assertThat(count("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                        + " WHERE c.relname = 'account_note' AND i.indisvalid"))
                .isEqualTo(1);
    }

    @Test
    void pooledConnectionsGoBackWithTheirOwnTimeouts() throws Exception {
        script(this.schema, "V2__add_status.sql", "ALTER TABLE account ADD COLUMN status text;");
        script(this.schema, "V3__index_status.sql", "CREATE INDEX CONCURRENTLY account_status ON account (status);");
        script(this.data, "D1__fill_notes.sql", "UPDATE account SET note = 'n';");
        try (HikariDataSource pool = pool(3)) {
            migrator(pool)
                    .dataLocations("filesystem:" + this.data)
                    .statementTimeout(Duration.ofMinutes(5))
                    .load()
                    .migrate();

            assertEveryPooledConnectionHasItsOwnTimeouts(pool, 3, "after the run");
        }
    }

    @Test
    void eachMigrationRunsUnderItsProfileAlsoAfterOneOutsideATransactionAndTheRunsCallbacksUnderTheSessionsOwn()
            throws Exception {
        String seen =
                "INSERT INTO seen VALUES ('%s', current_setting('lock_timeout'), current_setting('statement_timeout'));";
        script(
                this.schema,
                "V2__create_seen.sql",
                "CREATE TABLE seen (step text, lock_timeout text, statement_timeout text);\n" + seen.formatted("V2"));
        script(this.schema, "V3__index_note.sql", "CREATE INDEX CONCURRENTLY account_note ON account (note);");
        script(this.schema, "V4__seen_again.sql", seen.formatted("V4"));
        script(this.schema, "afterMigrate.sql", seen.formatted("afterMigrate"));
        // V3 waits for this transaction longer than the lock timeout inside a transaction.
        holdOpenTransaction("reader", "SELECT count(*) FROM account");
        Connection held = this.blocker;
        this.blocker = null;
        CompletableFuture.runAsync(() -> closeAfter(held, 2500));

        migrator(this.database.dataSource())
                .lockTimeout(Duration.ofMillis(1500), Duration.ofSeconds(3))
                .statementTimeout(Duration.ofMinutes(5))
                .nonTransactionalTimeouts(Duration.ofSeconds(30), Duration.ZERO)
                .load()
                .migrate();

        assertThat(rows("SELECT step || ' ' || lock_timeout || ' ' || statement_timeout FROM seen ORDER BY step"))
                .as("the timeouts each step saw")
                .containsExactly("V2 1500ms 5min", "V4 1500ms 5min", "afterMigrate 0 0");
    }

    @Test
    void aFailedRunGivesItsPooledConnectionsBackWithTheirOwnTimeouts() throws Exception {
        script(this.schema, "V2__add_status.sql", "ALTER TABLE account ADD COLUMN status text;");
        script(this.schema, "V3__broken.sql", "ALTER TABLE account ADD COLUMN;");
        // One for the run's lock, one for the migrations.
        try (HikariDataSource pool = pool(2)) {
            MigratorConfiguration migrator = migrator(pool).statementTimeout(Duration.ofMinutes(5));
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> migrator.load().migrate())
                    .isInstanceOf(MigrationFailedException.class)
                    .hasMessageContaining("V3__broken.sql");

            assertEveryPooledConnectionHasItsOwnTimeouts(pool, 2, "after the failed run");
        }
        assertThat(count("SELECT count(*) FROM information_schema.columns"
                        + " WHERE table_name = 'account' AND column_name = 'status'"))
                .as("V2, applied before V3 failed")
                .isEqualTo(1);
    }

    private HikariDataSource pool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(this.database.jdbcUrl());
        config.setUsername(this.database.username());
        config.setPassword(this.database.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        return new HikariDataSource(config);
    }

    /** Take every connection of the pool at once (one after the other, it would hand out the same one). */
    private static void assertEveryPooledConnectionHasItsOwnTimeouts(HikariDataSource pool, int size, String when)
            throws SQLException {
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                connections.add(pool.getConnection());
            }
            for (Connection connection : connections) {
                try (Statement statement = connection.createStatement();
                        ResultSet rs = statement.executeQuery(
                                "SELECT current_setting('lock_timeout'), current_setting('statement_timeout')")) {
                    rs.next();
                    assertThat(rs.getString(1) + "/" + rs.getString(2))
                            .as("timeouts of a pooled connection " + when)
                            .isEqualTo("0/0");
                }
            }
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    private List<String> rows(String sql) throws SQLException {
        try (Connection connection = this.database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }

    private MigratorConfiguration migrator(DataSource dataSource) {
        return Migrator.configure(dataSource).schemaLocations("filesystem:" + this.schema);
    }

    private int holdOpenTransaction(String application, String sql) throws SQLException {
        this.blocker = this.database.dataSource().getConnection();
        try (Statement statement = this.blocker.createStatement()) {
            statement.execute("SET application_name = '" + application + "'");
            int pid;
            try (ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            this.blocker.setAutoCommit(false);
            statement.execute(sql);
            return pid;
        }
    }

    private boolean stillOpen(int pid) throws SQLException {
        return count("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid + " AND xact_start IS NOT NULL") == 1;
    }

    private static void closeAfter(Connection connection, long millis) {
        try {
            Thread.sleep(millis);
            connection.close();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static MigrationFailedException failure(CompletableFuture<RunReport> run) throws Exception {
        try {
            RunReport report = run.get(60, TimeUnit.SECONDS);
            throw new AssertionError("expected the run to fail, but it applied " + report.schemaApplied());
        } catch (java.util.concurrent.ExecutionException ex) {
            assertThat(ex.getCause()).isInstanceOf(MigrationFailedException.class);
            return (MigrationFailedException) ex.getCause();
        }
    }

    private static void script(Path folder, String name, String sql) throws IOException {
        Files.writeString(folder.resolve(name), sql);
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
