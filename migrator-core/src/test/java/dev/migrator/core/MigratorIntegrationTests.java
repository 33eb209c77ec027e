package dev.migrator.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.migrator.core.data.D2__CountEachItemOnce;
import dev.migrator.core.lock.LockTimeoutException;
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
import org.postgresql.ds.PGSimpleDataSource;

/** The core engine against a real PostgreSQL: one fresh database per test. */
class MigratorIntegrationTests {

    @TempDir
    Path migrations;

    private FreshDatabase database;

    @BeforeEach
    void createDatabase() {
        this.database = TestPostgres.server().createDatabase();
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void migrateAppliesPendingMigrationsAndReportsThem() throws Exception {
        script("V1__create_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY, email text NOT NULL);");
        script("V2__add_name.sql", "ALTER TABLE customer ADD COLUMN name text;");
        Migrator migrator = migrator().load();

        assertThat(migrator.status().schema().pending())
                .extracting(MigrationEntry::displayName)
                .containsExactly("1 create customer", "2 add name");
        RunReport report = migrator.migrate();

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(report.schemaApplied())
                .extracting(applied -> applied.migration().version().orElseThrow())
                .containsExactly("1", "2");
        MigrationStatus status = migrator.status();
        assertThat(status.isUpToDate()).isTrue();
        assertThat(status.schema().current()).contains("2");
        assertThat(status.revision()).isEqualTo("schema 2, data <none>");
        assertThat(columns("customer")).containsExactly("id", "email", "name");
    }

    @Test
    void secondRunAppliesNothing() throws Exception {
        script("V1__create_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        migrator().load().migrate();

        RunReport second = migrator().load().migrate();

        assertThat(second.schemaApplied()).isEmpty();
        assertThat(count("SELECT count(*) FROM flyway_schema_history")).isEqualTo(1);
    }

    @Test
    void malformedSqlIsRolledBackAndNamesTheFileAndSqlState() throws Exception {
        script("V1__create_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        script("V2__broken.sql", "CREATE TABLE invoice (id bigint);\nCREAT TABLE oops (id bigint);");

        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator().load().migrate())
                .satisfies(ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.MIGRATION);
                    assertThat(ex.getMessage())
                            .contains("V2__broken.sql")
                            .contains("42601")
                            .contains("rolled back");
                    assertThat(ex.report().outcome()).isEqualTo(RunReport.Outcome.FAILED);
                    assertThat(ex.report().schemaApplied())
                            .extracting(applied -> applied.migration().script())
                            .containsExactly("V1__create_customer.sql");
                });
        assertThat(tableExists("invoice")).isFalse();
        assertThat(tableExists("customer")).isTrue();
        assertThat(count("SELECT count(*) FROM flyway_schema_history")).isEqualTo(1);
    }

    @Test
    void changedAppliedMigrationIsAValidationErrorAndNothingRuns() throws Exception {
        Path v1 = script("V1__create_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        migrator().load().migrate();
        Files.writeString(v1, "CREATE TABLE customer (id bigint PRIMARY KEY, email text);");
        script("V2__create_invoice.sql", "CREATE TABLE invoice (id bigint);");

        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator().load().migrate())
                .satisfies(ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.VALIDATION);
                    assertThat(ex.getMessage())
                            .contains("checksum mismatch for migration version 1")
                            .contains("restore the file as it was applied");
                });
        assertThat(tableExists("invoice")).isFalse();
    }

    @Test
    void appliedMigrationMissingLocallyIsAValidationError() throws Exception {
        Path v1 = script("V1__create_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        script("V2__create_invoice.sql", "CREATE TABLE invoice (id bigint);");
        migrator().load().migrate();
        Files.delete(v1);

        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator().load().migrate())
                .satisfies(ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.VALIDATION);
                    assertThat(ex.getMessage()).contains("not resolved locally: 1");
                });
    }

    @Test
    void duplicateVersionNamesBothFiles() throws Exception {
        script("V1__create_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        script("V1__create_invoice.sql", "CREATE TABLE invoice (id bigint);");

        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator().load().migrate())
                .satisfies(ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.VALIDATION);
                    assertThat(ex.getMessage())
                            .contains("V1__create_customer.sql")
                            .contains("V1__create_invoice.sql")
                            .contains("Give one of them a new version");
                });
        assertThat(tableExists("customer")).isFalse();
    }

    @Test
    void unknownTargetIsRejectedAndNothingRuns() throws Exception {
        script("V1__create_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        script("V2__create_invoice.sql", "CREATE TABLE invoice (id bigint);");

        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator().schemaTarget("99").load().migrate())
                .satisfies(ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.CONFIGURATION);
                    assertThat(ex.getMessage())
                            .contains("'99'")
                            .contains("latest is '2'")
                            .contains("'schemaTarget'");
                });
        assertThat(tableExists("customer")).isFalse();
    }

    @Test
    void targetStopsTheRunAtThatVersion() throws Exception {
        script("V1__create_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        script("V2__create_invoice.sql", "CREATE TABLE invoice (id bigint);");

        migrator().schemaTarget("1").load().migrate();

        assertThat(tableExists("customer")).isTrue();
        assertThat(tableExists("invoice")).isFalse();
        assertThat(migrator().load().status().schema().pending())
                .extracting(MigrationEntry::script)
                .containsExactly("V2__create_invoice.sql");
    }

    @Test
    void malformedTargetIsRejectedWhenLoading() {
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> migrator().schemaTarget("next").load())
                .satisfies(ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.CONFIGURATION);
                    assertThat(ex.getMessage())
                            .contains("'next'")
                            .contains("'schemaTarget'")
                            .contains("'latest', 'current'");
                });
    }

    @Test
    void unreachableDatabaseFailsAfterTheRetries() {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setServerNames(new String[] {"127.0.0.1"});
        nowhere.setPortNumbers(new int[] {1});
        nowhere.setDatabaseName("postgres");
        nowhere.setUser("postgres");
        nowhere.setConnectTimeout(2);
        long start = System.nanoTime();

        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> Migrator.configure(nowhere)
                        .connectRetries(2, Duration.ofSeconds(1))
                        .load()
                        .migrate())
                .satisfies(ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.CONNECTION);
                    assertThat(ex.getMessage())
                            .contains("after 2 retries")
                            .contains("127.0.0.1:1")
                            .contains("'connectRetries'");
                });
        // Two retries, one second apart at most: the wait happened and stayed bounded.
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(20));
    }

    @Test
    void readingTheStatusDoesNotWaitForAnUnreachableDatabase() {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setServerNames(new String[] {"127.0.0.1"});
        nowhere.setPortNumbers(new int[] {1});
        nowhere.setUser("postgres");
        Migrator migrator = Migrator.configure(nowhere)
                .connectRetries(5, Duration.ofSeconds(1))
                .load();
        long start = System.nanoTime();

        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(migrator::status)
                .satisfies(ex -> assertThat(ex.code()).isEqualTo(ErrorCode.CONNECTION))
                .withMessageNotContaining("after 5 retries");
        // Health checks read the status: they must answer, not sit through the retries of a run.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void lockWaitTimeoutNamesTheHolder() throws Exception {
        script("V1__slow.sql", "SELECT pg_sleep(3); CREATE TABLE slow_done (id int);");
        Migrator first = migrator().load();
        CompletableFuture<RunReport> firstRun = CompletableFuture.supplyAsync(first::migrate);
        awaitLockHolder(first);

        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator()
                        .lockWaitTimeout(Duration.ofMillis(300))
                        .load()
                        .migrate())
                .satisfies(ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT);
                    assertThat(ex.getCause()).isInstanceOf(LockTimeoutException.class);
                    LockTimeoutException timeout = (LockTimeoutException) ex.getCause();
                    assertThat(timeout.holder()).isPresent();
                    assertThat(timeout.holder().get().applicationName())
                            .hasValueSatisfying(name -> assertThat(name).startsWith("migrator@"));
                    assertThat(ex.getMessage())
                            .contains("pid " + timeout.holder().get().pid())
                            .contains("pg_terminate_backend")
                            .contains("'lockWaitTimeout'");
                });
        assertThat(firstRun.get(30, TimeUnit.SECONDS).schemaApplied()).hasSize(1);
        assertThat(first.lockHolder()).isEmpty();
    }

    @Test
    void aDataPhaseWithNothingPendingNeedsNoLockWhileAPendingOneWaitsForIt(@TempDir Path data, @TempDir Path holderData)
            throws Exception {
        Files.writeString(data.resolve("D1__record.sql"), "INSERT INTO slow_done (id) VALUES (1);");
        script("V1__create.sql", "CREATE TABLE slow_done (id int);");
        MigratorConfiguration withData = migrator().dataLocations("filesystem:" + data);
        assertThat(withData.load().migrate().dataApplied()).hasSize(1);
        script("V2__slow.sql", "SELECT pg_sleep(3);");
        // The other instance knows D1 only.
        Files.copy(data.resolve("D1__record.sql"), holderData.resolve("D1__record.sql"));
        Migrator holder = migrator().dataLocations("filesystem:" + holderData).load();
        CompletableFuture<RunReport> holderRun = CompletableFuture.supplyAsync(holder::migrate);
        awaitLockHolder(holder);

        // A start's data phase with every data migration applied: no lock to wait for.
        RunReport nothing =
                withData.lockWaitTimeout(Duration.ofMillis(300)).load().migrateData();
        assertThat(nothing.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(nothing.dataApplied()).isEmpty();
        assertThat(holderRun).as("the other run still holds the lock").isNotDone();

        // One pending data migration: the phase waits for the lock as before.
        Files.writeString(data.resolve("D2__record.sql"), "INSERT INTO slow_done (id) VALUES (2);");
        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() ->
                        withData.lockWaitTimeout(Duration.ofMillis(300)).load().migrateData())
                .satisfies(ex -> assertThat(ex.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT));
        assertThat(holderRun.get(30, TimeUnit.SECONDS).schemaApplied()).hasSize(1);
        assertThat(withData.load().migrateData().dataApplied()).hasSize(1);
        assertThat(count("SELECT count(*) FROM slow_done")).isEqualTo(2);
    }

    @Test
    void aSchemaPhaseWithNothingPendingNeedsNoLockWhileAPendingOneWaitsForIt(@TempDir Path holderMigrations)
            throws Exception {
        script("V1__create.sql", "CREATE TABLE slow_done (id int);");
        assertThat(migrator().load().migrateSchema().schemaApplied()).hasSize(1);
        // The other instance, a release ahead, applies a slow V2 this one does not know.
        Files.copy(this.migrations.resolve("V1__create.sql"), holderMigrations.resolve("V1__create.sql"));
        Files.writeString(holderMigrations.resolve("V2__slow.sql"), "SELECT pg_sleep(3);");
        Migrator holder = Migrator.configure(this.database.dataSource())
                .schemaLocations("filesystem:" + holderMigrations)
                .load();
        CompletableFuture<RunReport> holderRun = CompletableFuture.supplyAsync(holder::migrate);
        awaitLockHolder(holder);

        // A start's schema phase with every local migration applied: no lock to wait for.
        RunReport nothing =
                migrator().lockWaitTimeout(Duration.ofMillis(300)).load().migrateSchema();
        assertThat(nothing.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(nothing.schemaApplied()).isEmpty();
        assertThat(holderRun).as("the other run still holds the lock").isNotDone();

        // One pending schema migration: the phase waits for the lock as before.
        script("V3__more.sql", "CREATE TABLE more (id int);");
        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator()
                        .lockWaitTimeout(Duration.ofMillis(300))
                        .load()
                        .migrateSchema())
                .satisfies(ex -> assertThat(ex.code()).isEqualTo(ErrorCode.LOCK_TIMEOUT));
        assertThat(holderRun.get(30, TimeUnit.SECONDS).schemaApplied()).hasSize(1);
        assertThat(count("SELECT count(*) FROM pg_tables WHERE tablename = 'more'"))
                .isZero();
    }

    @Test
    void aSqlCallbackRunsAtEveryStartAndAChangedMigrationStillFailsIt() throws Exception {
        script("V1__create.sql", "CREATE TABLE start_seen (at timestamptz);");
        script("afterMigrate.sql", "INSERT INTO start_seen VALUES (clock_timestamp());");
        migrator().load().migrateSchema();
        migrator().load().migrateSchema();
        // Flyway runs afterMigrate at every migrate, with or without anything to apply.
        assertThat(count("SELECT count(*) FROM start_seen")).isEqualTo(2);

        Files.delete(this.migrations.resolve("afterMigrate.sql"));
        script("V1__create.sql", "CREATE TABLE start_seen (at timestamptz, changed int);");
        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator().load().migrateSchema())
                .satisfies(ex -> assertThat(ex.code()).isEqualTo(ErrorCode.VALIDATION));
    }

    @Test
    void aRunInAnotherDatabaseOfTheServerIsNeitherTheHolderNorInTheWay() throws Exception {
        script("V1__slow.sql", "SELECT pg_sleep(3);");
        try (FreshDatabase other = TestPostgres.server().createDatabase()) {
            Migrator elsewhere = Migrator.configure(other.dataSource())
                    .schemaLocations("filesystem:" + this.migrations)
                    .load();
            CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(elsewhere::migrate);
            awaitLockHolder(elsewhere);

            Migrator here = migrator().lockWaitTimeout(Duration.ZERO).load();
            assertThat(here.lockHolder()).isEmpty();
            Files.writeString(this.migrations.resolve("V1__slow.sql"), "SELECT 1;");
            assertThat(here.migrate().schemaApplied()).hasSize(1);
            run.handle((report, failure) -> null).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void lockIsReleasedWhenAMigrationFails() throws Exception {
        Path broken = script("V1__broken.sql", "CREATE TABLE customer (id bigint PRIMARY KEY, oops);");
        Migrator migrator = migrator().lockWaitTimeout(Duration.ZERO).load();
        assertThatExceptionOfType(MigrationFailedException.class).isThrownBy(migrator::migrate);

        assertThat(migrator.lockHolder()).isEmpty();
        Files.writeString(broken, "CREATE TABLE customer (id bigint PRIMARY KEY);");
        assertThat(migrator().lockWaitTimeout(Duration.ZERO).load().migrate().schemaApplied())
                .hasSize(1);
    }

    @Test
    void concurrentRunsApplyEachMigrationExactlyOnce(@TempDir Path data) throws Exception {
        script("V1__create_event.sql", "CREATE TABLE event (id bigserial PRIMARY KEY, note text);");
        script("V2__insert_event.sql", "INSERT INTO event (note) VALUES ('applied once');");
        script("V3__slow.sql", "SELECT pg_sleep(0.5);");
        // Flyway's own lock serializes the schema track; only migrator's lock serializes the data track, so the
        // data migration and the backfill below are what makes this test fail when that lock is missing.
        script(
                "V4__create_item.sql",
                "CREATE TABLE item (id bigint PRIMARY KEY, counter int NOT NULL DEFAULT 0);"
                        + " INSERT INTO item (id) SELECT generate_series(1, 200);");
        Files.writeString(data.resolve("D1__record_event.sql"), "INSERT INTO event (note) VALUES ('data once');");
        List<CompletableFuture<RunReport>> runs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> migrator()
                    .dataLocations("filesystem:" + data)
                    .dataMigrations(List.of(new D2__CountEachItemOnce()))
                    .load()
                    .migrate()));
        }

        List<RunReport> reports = new ArrayList<>();
        for (CompletableFuture<RunReport> run : runs) {
            reports.add(run.get(60, TimeUnit.SECONDS));
        }

        assertThat(reports).allSatisfy(report -> assertThat(report.outcome()).isEqualTo(RunReport.Outcome.SUCCESS));
        assertThat(reports.stream()
                        .mapToInt(report -> report.schemaApplied().size())
                        .sum())
                .isEqualTo(4);
        assertThat(reports.stream()
                        .mapToInt(report -> report.dataApplied().size())
                        .sum())
                .isEqualTo(2);
        assertThat(count("SELECT count(*) FROM event")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM flyway_schema_history WHERE success"))
                .isEqualTo(4);
        assertThat(count("SELECT count(*) FROM migrator_data_history WHERE success"))
                .isEqualTo(2);
        assertThat(count("SELECT count(*) FROM item WHERE counter = 1"))
                .as("every row backfilled exactly once")
                .isEqualTo(200);
    }

    @Test
    void createIndexConcurrentlyDoesNotHang() throws Exception {
        script("V1__create_event.sql", "CREATE TABLE event (id bigint PRIMARY KEY, at timestamptz);");
        script("V2__index_event_at.sql", "CREATE INDEX CONCURRENTLY event_at ON event (at);");
        Files.writeString(this.migrations.resolve("V2__index_event_at.sql.conf"), "executeInTransaction=false\n");

        CompletableFuture<RunReport> run =
                CompletableFuture.supplyAsync(() -> migrator().load().migrate());

        assertThat(run.get(60, TimeUnit.SECONDS).schemaApplied()).hasSize(2);
        assertThat(count("SELECT count(*) FROM pg_indexes WHERE indexname = 'event_at'"))
                .isEqualTo(1);
    }

    @Test
    void anIndexLeftByAnInterruptedCreateIndexConcurrentlyIsNamedWithTheNextStep() throws Exception {
        script(
                "V1__create_event.sql",
                "CREATE TABLE event (id bigint PRIMARY KEY, code int); INSERT INTO event VALUES (1, 7), (2, 7);");
        migrator().load().migrate();
        // What a run stopped in the middle of CREATE INDEX CONCURRENTLY leaves: an INVALID index, no history row.
        try (Connection connection = this.database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            assertThatExceptionOfType(SQLException.class)
                    .isThrownBy(() -> statement.execute("CREATE UNIQUE INDEX CONCURRENTLY event_code ON event (code)"));
        }
        script("V2__index_event_code.sql", "CREATE INDEX CONCURRENTLY event_code ON event (code);");
        Files.writeString(this.migrations.resolve("V2__index_event_code.sql.conf"), "executeInTransaction=false\n");

        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator().load().migrate())
                .satisfies(ex -> assertThat(ex.getMessage())
                        .contains("Schema migration 'V2__index_event_code.sql' failed at line 1: 'ERROR: relation"
                                + " \"event_code\" already exists' (SQL state 42P07).")
                        .contains("'event_code' is left over from an earlier run of it that was stopped part-way")
                        .contains("DROP INDEX CONCURRENTLY event_code")
                        .contains("DELETE FROM flyway_schema_history WHERE NOT success"));
        Migrator migrator = migrator().load();
        assertThat(migrator.status().schema().failed())
                .extracting(MigrationEntry::script)
                .containsExactly("V2__index_event_code.sql");
        assertThat(migrator.check())
                .filteredOn(check -> check.name().equals("checksums-valid"))
                .singleElement()
                .satisfies(check -> {
                    assertThat(check.passed()).isFalse();
                    assertThat(check.detail())
                            .contains("V2__index_event_code.sql")
                            .contains("delete its failed row (DELETE FROM flyway_schema_history WHERE NOT success)");
                });
        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator().load().migrate())
                .satisfies(ex -> assertThat(ex.getMessage())
                        .contains("The schema history records a failed migration: [V2__index_event_code.sql]")
                        .contains("DELETE FROM flyway_schema_history WHERE NOT success"));

        try (Connection connection = this.database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP INDEX CONCURRENTLY event_code");
            statement.execute("DELETE FROM flyway_schema_history WHERE NOT success");
        }
        assertThat(migrator().load().migrate().schemaApplied()).hasSize(1);
        assertThat(count("SELECT count(*) FROM pg_index WHERE indexrelid = 'event_code'::regclass AND indisvalid"))
                .isEqualTo(1);
    }

    @Test
    void aSchemaWithTablesButNoHistoryIsAConfigurationFailureThatSaysHowToAdoptIt() throws Exception {
        script("V1__create_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        try (Connection connection = this.database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE legacy (id bigint)");
        }

        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator().load().migrate())
                .satisfies(ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.CONFIGURATION);
                    assertThat(ex.getMessage())
                            .contains("The schema already holds tables but no schema history")
                            .contains("set 'baselineOnMigrate' to true and 'baselineVersion'");
                });
        assertThat(migrator()
                        .baselineOnMigrate(true)
                        .baselineVersion("0")
                        .load()
                        .migrate()
                        .schemaApplied())
                .hasSize(1);
    }

    @Test
    void twoRepeatableMigrationsWithOneDescriptionAreAValidationFailure() throws Exception {
        script("R__customer_view.sql", "SELECT 1;");
        Files.createDirectories(this.migrations.resolve("sub"));
        script("sub/R__customer_view.sql", "SELECT 2;");

        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator().load().migrate())
                .satisfies(ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.VALIDATION);
                    assertThat(ex.getMessage())
                            .contains("Two repeatable schema migrations share a description")
                            .contains("customer view");
                });
        assertThat(migrator().load().validate().problems())
                .singleElement()
                .asString()
                .contains("Two repeatable schema migrations share a description");
    }

    @Test
    void aMigrationThatFailsOutsideATransactionIsReportedAsRecordedFailed() throws Exception {
        script("V1__create_event.sql", "CREATE TABLE event (id bigint PRIMARY KEY, at timestamptz);");
        script("V2__index_missing.sql", "CREATE INDEX CONCURRENTLY event_x ON event (missing_column);");
        Files.writeString(this.migrations.resolve("V2__index_missing.sql.conf"), "executeInTransaction=false\n");

        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator().load().migrate())
                .satisfies(ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.MIGRATION);
                    assertThat(ex.getMessage())
                            .contains("Schema migration 'V2__index_missing.sql' failed")
                            .contains("(SQL state 42703)")
                            .contains("ran outside a transaction")
                            .contains("recorded as failed");
                    assertThat(ex.report().schemaApplied())
                            .extracting(applied -> applied.migration().script())
                            .containsExactly("V1__create_event.sql");
                });
        assertThat(migrator().load().status().schema().failed())
                .extracting(MigrationEntry::script)
                .containsExactly("V2__index_missing.sql");
    }

    private MigratorConfiguration migrator() {
        return Migrator.configure(this.database.dataSource()).schemaLocations("filesystem:" + this.migrations);
    }

    private Path script(String name, String sql) throws IOException {
        return Files.writeString(this.migrations.resolve(name), sql);
    }

    private void awaitLockHolder(Migrator migrator) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (migrator.lockHolder().isEmpty()) {
            assertThat(System.nanoTime()).as("lock taken within 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private boolean tableExists(String table) throws SQLException {
        return count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '" + table + "'") == 1;
    }

    private List<String> columns(String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        query(
                "SELECT column_name FROM information_schema.columns WHERE table_name = '" + table
                        + "' ORDER BY ordinal_position",
                rs -> columns.add(rs.getString(1)));
        return columns;
    }

    private long count(String sql) throws SQLException {
        long[] count = new long[1];
        query(sql, rs -> count[0] = rs.getLong(1));
        return count[0];
    }

    private void query(String sql, RowHandler handler) throws SQLException {
        DataSource dataSource = this.database.dataSource();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                handler.handle(rs);
            }
        }
    }

    @FunctionalInterface
    private interface RowHandler {
        void handle(ResultSet rs) throws SQLException;
    }
}
