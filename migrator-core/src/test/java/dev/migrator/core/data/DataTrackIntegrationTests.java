package dev.migrator.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.migrator.core.AppliedMigration;
import dev.migrator.core.DataOrdering;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigrationEntry;
import dev.migrator.core.MigrationFailedException;
import dev.migrator.core.MigrationStatus;
import dev.migrator.core.Migrator;
import dev.migrator.core.MigratorConfiguration;
import dev.migrator.core.MigratorException;
import dev.migrator.core.RunReport;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** The data track against a real PostgreSQL: one fresh database per test. */
class DataTrackIntegrationTests {

    @TempDir
    Path root;

    private Path schema;

    private Path data;

    private FreshDatabase database;

    private JdbcTemplate jdbc;

    @BeforeEach
    void setUp() throws IOException {
        this.schema = Files.createDirectory(this.root.resolve("schema"));
        this.data = Files.createDirectory(this.root.resolve("data"));
        this.database = TestPostgres.server().createDatabase();
        this.jdbc = new JdbcTemplate(this.database.dataSource());
        write(
                this.schema,
                "V1__create_country.sql",
                "CREATE TABLE country (code char(2) PRIMARY KEY, name text NOT NULL);");
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void versionedAndRepeatableDataMigrationsRunAfterTheSchemaAndAreRecorded() throws IOException {
        write(this.data, "D1__insert_countries.sql", "INSERT INTO country VALUES ('FR', 'France'), ('DE', 'Germany');");
        write(
                this.data,
                "R__reference_countries.sql",
                "INSERT INTO country VALUES ('IT', 'Italy')"
                        + " ON CONFLICT (code) DO UPDATE SET name = excluded.name;");

        RunReport report = migrator().load().migrate();

        assertThat(report.schemaApplied()).hasSize(1);
        assertThat(report.dataApplied())
                .extracting(applied -> applied.migration().script())
                .containsExactly("D1__insert_countries.sql", "R__reference_countries.sql");
        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM country", Long.class))
                .isEqualTo(3);
        List<Map<String, Object>> history = this.jdbc.queryForList(
                "SELECT version, type, script, rows_affected, success FROM migrator_data_history ORDER BY installed_rank");
        assertThat(history).hasSize(2);
        assertThat(history.get(0))
                .containsEntry("version", "1")
                .containsEntry("type", "SQL")
                .containsEntry("rows_affected", 2L)
                .containsEntry("success", true);
        assertThat(history.get(1)).containsEntry("version", null).containsEntry("type", "SQL_REPEATABLE");
        MigrationStatus status = migrator().load().status();
        assertThat(status.isUpToDate()).isTrue();
        assertThat(status.revision()).isEqualTo("schema 1, data 1");
    }

    @Test
    void repeatableDataMigrationRunsAgainOnlyWhenItChanges() throws IOException {
        Path repeatable = write(
                this.data,
                "R__reference_countries.sql",
                "INSERT INTO country VALUES ('IT', 'Italy')"
                        + " ON CONFLICT (code) DO UPDATE SET name = excluded.name;");
        migrator().load().migrate();

        assertThat(migrator().load().migrate().dataApplied()).isEmpty();
        Files.writeString(
                repeatable,
                "INSERT INTO country VALUES ('IT', 'Italia')"
                        + " ON CONFLICT (code) DO UPDATE SET name = excluded.name;");
        assertThat(migrator().load().status().data().pending())
                .extracting(MigrationEntry::script)
                .containsExactly("R__reference_countries.sql");
        assertThat(migrator().load().migrate().dataApplied()).hasSize(1);
        assertThat(this.jdbc.queryForObject("SELECT name FROM country WHERE code = 'IT'", String.class))
                .isEqualTo("Italia");
    }

    @Test
    void failingDataMigrationIsRolledBackNotRecordedAndEarlierOnesStayApplied() throws IOException {
        write(this.data, "D1__insert_france.sql", "INSERT INTO country VALUES ('FR', 'France');");
        write(
                this.data,
                "D2__insert_more.sql",
                "INSERT INTO country VALUES ('DE', 'Germany');\n"
                        + "INSERT INTO country (code, name, population) VALUES ('IT', 'Italy', 59);");

        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator().load().migrate())
                .satisfies(ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.MIGRATION);
                    assertThat(ex.getMessage())
                            .contains("Data migration 'D2__insert_more.sql' failed at line 2")
                            .contains("column \"population\"")
                            .contains("42703")
                            .contains("data migrations applied before it stay applied");
                    assertThat(ex.report().dataApplied())
                            .extracting(applied -> applied.migration().script())
                            .containsExactly("D1__insert_france.sql");
                });
        assertThat(this.jdbc.queryForList("SELECT code FROM country ORDER BY code", String.class))
                .containsExactly("FR");
        assertThat(this.jdbc.queryForList("SELECT script FROM migrator_data_history", String.class))
                .containsExactly("D1__insert_france.sql");
    }

    @Test
    void editedAppliedDataMigrationIsAValidationError() throws IOException {
        Path d1 = write(this.data, "D1__insert_france.sql", "INSERT INTO country VALUES ('FR', 'France');");
        migrator().load().migrate();
        Files.writeString(d1, "INSERT INTO country VALUES ('FR', 'République française');");
        write(this.data, "D2__insert_germany.sql", "INSERT INTO country VALUES ('DE', 'Germany');");

        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator().load().migrate())
                .satisfies(ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.VALIDATION);
                    assertThat(ex.getMessage())
                            .contains("'D1__insert_france.sql' changed after it was applied")
                            .contains("put the change in a new data migration");
                });
        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM country", Long.class))
                .isEqualTo(1);
    }

    @Test
    void duplicateVersionNamesBothMigrations() throws IOException {
        write(this.data, "D1__insert_france.sql", "INSERT INTO country VALUES ('FR', 'France');");

        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator()
                        .dataMigrations(List.of(new D1__InsertSpain()))
                        .load()
                        .migrate())
                .satisfies(ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.VALIDATION);
                    assertThat(ex.getMessage())
                            .contains("Two data migrations share version '1'")
                            .contains("'D1__insert_france.sql'")
                            .contains(D1__InsertSpain.class.getName());
                });
    }

    @Test
    void javaMigrationThatThrowsGivesAClearErrorAndIsRolledBack() throws IOException {
        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator()
                        .dataMigrations(List.of(new D1__InsertSpain(), new D2__Explode()))
                        .load()
                        .migrate())
                .satisfies(ex -> assertThat(ex.getMessage())
                        .contains("Data migration '" + D2__Explode.class.getName() + "' failed")
                        .contains("IllegalStateException: no more countries today"));
        assertThat(this.jdbc.queryForList("SELECT code FROM country", String.class))
                .containsExactly("ES");
    }

    @Test
    void javaMigrationTakesVersionAndDescriptionFromItsClassNameAndSeesTheSchemaVersion() {
        D1_1__Insert_portugal migration = new D1_1__Insert_portugal();

        RunReport report = migrator().dataMigrations(List.of(migration)).load().migrate();

        assertThat(migration.version()).isEqualTo("1.1");
        assertThat(migration.description()).isEqualTo("Insert portugal");
        assertThat(migration.seenSchemaVersion).contains("1");
        assertThat(report.dataApplied())
                .extracting(AppliedMigration::migration)
                .extracting(MigrationEntry::displayName)
                .containsExactly("1.1 Insert portugal");
    }

    @Test
    void noTransactionDirectiveRunsStatementsOutsideATransaction() throws IOException {
        write(
                this.data,
                "D1__insert_and_vacuum.sql",
                "-- migrator:no-transaction\n"
                        + "INSERT INTO country VALUES ('FR', 'France');\nVACUUM ANALYZE country;");

        assertThat(migrator().load().migrate().dataApplied()).hasSize(1);
        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM country", Long.class))
                .isEqualTo(1);
    }

    @Test
    void unknownDirectiveIsRejectedNamingTheFile() throws IOException {
        write(
                this.data,
                "D1__insert_france.sql",
                "-- migrator:no-transactions\nINSERT INTO country VALUES ('FR', 'France');");

        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> migrator().load().migrate())
                .satisfies(ex -> assertThat(ex.getMessage())
                        .contains("D1__insert_france.sql")
                        .contains("no-transactions"));
        // Data migrations are read and checked before the schema track runs: a bad file changes nothing.
        assertThat(this.jdbc.queryForObject("SELECT to_regclass('country') IS NULL", Boolean.class))
                .isTrue();
    }

    @Test
    void fileNotNamedLikeADataMigrationIsRejected() throws IOException {
        write(this.data, "insert_france.sql", "INSERT INTO country VALUES ('FR', 'France');");

        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> migrator().load().migrate())
                .satisfies(ex -> assertThat(ex.getMessage())
                        .contains("'insert_france.sql'")
                        .contains("D<version>__<description>.sql"));
    }

    @Test
    void pinnedDataMigrationWaitsForItsSchemaVersionAndStatusSaysWhy() throws IOException {
        write(this.schema, "V2__add_capital.sql", "ALTER TABLE country ADD COLUMN capital text;");
        write(
                this.data,
                "D1__insert_france.sql",
                "-- migrator:after-schema 2\n"
                        + "INSERT INTO country (code, name, capital) VALUES ('FR', 'France', 'Paris');");

        RunReport limited = migrator().schemaTarget("1").load().migrate();

        assertThat(limited.dataApplied()).isEmpty();
        assertThat(migrator().schemaTarget("1").load().status().data().pending())
                .singleElement()
                .satisfies(entry -> assertThat(entry.reason())
                        .hasValueSatisfying(reason -> assertThat(reason).contains("waits for schema 2")));
        assertThat(migrator().load().migrate().dataApplied()).hasSize(1);
        assertThat(this.jdbc.queryForObject("SELECT capital FROM country", String.class))
                .isEqualTo("Paris");
    }

    @Test
    void byVersionOrderingRunsEachDataMigrationOnTheSchemaOfItsVersion() throws IOException {
        write(
                this.schema,
                "V3__split_name.sql",
                "ALTER TABLE country ADD COLUMN local_name text;\n"
                        + "UPDATE country SET local_name = name;\nALTER TABLE country DROP COLUMN name;");
        write(this.data, "D2__insert_france.sql", "INSERT INTO country (code, name) VALUES ('FR', 'France');");

        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator().load().migrate())
                .satisfies(ex -> assertThat(ex.getMessage())
                        .contains("D2__insert_france.sql")
                        .contains("ran after every schema migration (schema is at 3")
                        .contains("dataOrdering=by-version"));

        try (FreshDatabase fresh = TestPostgres.server().createDatabase()) {
            RunReport report = Migrator.configure(fresh.dataSource())
                    .schemaLocations("filesystem:" + this.schema)
                    .dataLocations("filesystem:" + this.data)
                    .dataOrdering(DataOrdering.BY_VERSION)
                    .load()
                    .migrate();

            assertThat(report.dataApplied()).hasSize(1);
            JdbcTemplate freshJdbc = new JdbcTemplate(fresh.dataSource());
            assertThat(freshJdbc.queryForObject("SELECT local_name FROM country", String.class))
                    .isEqualTo("France");
            assertThat(freshJdbc.queryForList(
                            "SELECT version FROM flyway_schema_history ORDER BY installed_rank", String.class))
                    .containsExactly("1", "3");
        }
    }

    @Test
    void backfillWalksTheTableInBatchesAndProcessesEveryRowOnce() throws IOException {
        createItems(10_050);
        D1__BumpItems backfill = new D1__BumpItems(1000, -1);

        RunReport report = migrator().dataMigrations(List.of(backfill)).load().migrate();

        assertThat(report.dataApplied()).hasSize(1);
        assertThat(backfill.result.rows()).isEqualTo(10_050);
        assertThat(backfill.result.batches()).isEqualTo(11);
        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM item WHERE touched <> 1", Long.class))
                .isZero();
        assertThat(this.jdbc.queryForObject("SELECT rows_affected FROM migrator_data_history", Long.class))
                .isEqualTo(10_050);
        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM migrator_data_history_progress", Long.class))
                .isZero();
    }

    @Test
    void failedBackfillResumesAfterTheLastCompletedBatchWithoutRepeatingRows() throws IOException {
        createItems(5_000);

        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator()
                        .dataMigrations(List.of(new D1__BumpItems(500, 4)))
                        .load()
                        .migrate())
                .satisfies(ex -> assertThat(ex.getMessage())
                        .contains("failed at batch 4 of the backfill of item")
                        .contains("completed backfill batches are not repeated"));
        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM item WHERE touched = 1", Long.class))
                .isEqualTo(1_500);
        D1__BumpItems fixed = new D1__BumpItems(500, -1);
        Migrator migrator = migrator().dataMigrations(List.of(fixed)).load();
        assertThat(migrator.status().data().failed())
                .extracting(MigrationEntry::displayName)
                .containsExactly("1 BumpItems");

        migrator.migrate();

        assertThat(fixed.result.rows()).isEqualTo(3_500);
        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM item WHERE touched <> 1", Long.class))
                .isZero();
        assertThat(this.jdbc.queryForObject(
                        "SELECT rows_affected FROM migrator_data_history WHERE success", Long.class))
                .as("rows of both runs")
                .isEqualTo(5_000);
        assertThat(migrator.status().isUpToDate()).isTrue();
    }

    @Test
    void backfillInATransactionalMigrationIsRejected() throws IOException {
        createItems(10);

        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator()
                        .dataMigrations(List.of(new D1__TransactionalBackfill()))
                        .load()
                        .migrate())
                .withMessageContaining("runs inside a transactional data migration")
                .withMessageContaining("transactional() returns false");
    }

    private void createItems(int rows) throws IOException {
        write(
                this.schema,
                "V2__create_item.sql",
                "CREATE TABLE item (id bigint PRIMARY KEY, touched int NOT NULL DEFAULT 0);\n"
                        + "INSERT INTO item (id) SELECT g FROM generate_series(1, " + rows + ") AS g;");
    }

    private MigratorConfiguration migrator() {
        return Migrator.configure(this.database.dataSource())
                .schemaLocations("filesystem:" + this.schema)
                .dataLocations("filesystem:" + this.data);
    }

    private static Path write(Path dir, String name, String sql) throws IOException {
        return Files.writeString(dir.resolve(name), sql);
    }

    static final class D1__InsertSpain extends BaseDataMigration {

        @Override
        public void migrate(DataMigrationContext context) throws Exception {
            try (PreparedStatement insert =
                    context.connection().prepareStatement("INSERT INTO country VALUES ('ES', 'Spain')")) {
                insert.executeUpdate();
            }
        }
    }

    static final class D2__Explode extends BaseDataMigration {

        @Override
        public void migrate(DataMigrationContext context) throws Exception {
            try (PreparedStatement insert =
                    context.connection().prepareStatement("INSERT INTO country VALUES ('PT', 'Portugal')")) {
                insert.executeUpdate();
            }
            throw new IllegalStateException("no more countries today");
        }
    }

    static final class D1_1__Insert_portugal extends BaseDataMigration {

        java.util.Optional<String> seenSchemaVersion = java.util.Optional.empty();

        @Override
        public void migrate(DataMigrationContext context) throws Exception {
            this.seenSchemaVersion = context.schemaVersion();
            try (PreparedStatement insert =
                    context.connection().prepareStatement("INSERT INTO country VALUES ('PT', 'Portugal')")) {
                insert.executeUpdate();
            }
        }
    }

    /** Bumps a per-row counter, so a row processed twice shows 2; can fail at a given batch. */
    static final class D1__BumpItems extends BaseDataMigration {

        private final int batchSize;

        private final int failAtBatch;

        BackfillResult result;

        D1__BumpItems(int batchSize, int failAtBatch) {
            this.batchSize = batchSize;
            this.failAtBatch = failAtBatch;
        }

        @Override
        public boolean transactional() {
            return false;
        }

        @Override
        public void migrate(DataMigrationContext context) {
            int[] batch = {0};
            this.result = context.backfill("item")
                    .batchSize(this.batchSize)
                    .batchTime(java.time.Duration.ZERO)
                    .forEachRange((connection, first, last) -> {
                        if (++batch[0] == this.failAtBatch) {
                            throw new java.sql.SQLException("simulated failure", "57014");
                        }
                        try (PreparedStatement update = connection.prepareStatement(
                                "UPDATE item SET touched = touched + 1 WHERE id BETWEEN ? AND ?")) {
                            update.setObject(1, first);
                            update.setObject(2, last);
                            return update.executeUpdate();
                        }
                    });
        }
    }

    static final class D1__TransactionalBackfill extends BaseDataMigration {

        @Override
        public void migrate(DataMigrationContext context) {
            context.backfill("item").update("UPDATE item SET touched = 1 WHERE id BETWEEN ? AND ?");
        }
    }
}
