package dev.migrator.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.migrator.core.AppliedMigration;
import dev.migrator.core.DataOrdering;
import dev.migrator.core.MigrationFailedException;
import dev.migrator.core.Migrator;
import dev.migrator.core.MigratorConfiguration;
import dev.migrator.core.RunReport;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * HMCTS opal-fines-service keeps its DDL and its seed data in separate folders but in one version space, for example
 * {@code data/allEnvs/V1_5} fills {@code imposition_category_item_number}, and {@code ddl/V1_215} renames that table
 * to {@code imposition_categories} and derives its new primary key from those rows. Flyway applies the merged folders
 * in version order. migrator runs {@code ddl/} as the schema track and {@code data/allEnvs/} plus {@code data/nle/} as
 * the data track; with {@link DataOrdering#BY_VERSION} it must give the schema and the rows that applying the three
 * folders file by file in version order gives, and with the default {@link DataOrdering#AFTER_SCHEMA} it must fail
 * and point at the ordering setting.
 *
 * <p>The set also brings a 540 KB baseline, plpgsql procedures with {@code COMMIT} inside, enum changes, and UTF-8
 * text in the data files, which go through migrator's own SQL splitter rather than Flyway's. Upstream's
 * {@code data/allEnvs/V1_11} (offences) is missing from the copy; both sides lack it, so the offences table stays
 * empty on both.
 *
 * <p>Both databases are migrated once, before the first test; the tests then only read them, apart from the second
 * run, which changes nothing when migrator works.
 */
@TestInstance(Lifecycle.PER_CLASS)
class OpalFinesAcceptanceIntegrationTests {

    private static final String SET = "hmcts__opal-fines-service";

    private static final int SCHEMA_FILES = 56;

    private static final int DATA_FILES = 19 + 16;

    private static final List<String> HISTORY_TABLES = List.of(
            "flyway_schema_history",
            "migrator_data_history",
            "migrator_data_history_progress",
            "migrator_data_history_lock");

    /** Generous for 91 files (one of 540 KB) on a slow CI machine; a healthy run takes a few seconds. */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    private @Nullable Path folder;

    private List<Path> files = List.of();

    private @Nullable FreshDatabase viaMigrator;

    private @Nullable FreshDatabase viaJdbc;

    private @Nullable Migrator migrator;

    private @Nullable RunReport firstRun;

    /**
     * Assumes per test rather than in {@code @BeforeAll}: Surefire drops a class-level abort from its report, so a
     * missing set would look like a class without tests instead of skipped ones.
     */
    @BeforeEach
    void migrateBothDatabasesOnce() {
        Path folder = RealWorldSets.assumePresent(SET);
        if (this.files.isEmpty()) {
            // Set first, so that a failing preparation fails one test instead of being retried by each.
            this.folder = folder;
            this.files = PlainJdbcMigrations.inFlywayOrder(ddl(folder), allEnvs(folder), nle(folder));
            migrateOneDatabaseWithMigratorAndAnotherFileByFile(folder);
        }
    }

    private void migrateOneDatabaseWithMigratorAndAnotherFileByFile(Path folder) {
        TestPostgres server = TestPostgres.server();
        FreshDatabase viaMigrator = server.createDatabase();
        this.viaMigrator = viaMigrator;
        FreshDatabase viaJdbc = server.createDatabase();
        this.viaJdbc = viaJdbc;
        Migrator migrator = byVersion(viaMigrator, folder).load();
        this.migrator = migrator;
        this.firstRun = assertTimeoutPreemptively(
                RUN_TIMEOUT, () -> migrator.migrate(), () -> "The opal-fines run did not finish within " + RUN_TIMEOUT);
        PlainJdbcMigrations.applyEachFileAsOneStatement(viaJdbc.dataSource(), this.files);
    }

    /**
     * Upstream sets baseline-on-migrate=true and ignoreMigrationPatterns="*:missing". Neither is needed here, so the
     * set runs without them, which is the stronger claim. Baselining only acts on a non-empty schema without a history
     * table, and every run here starts from an empty database. "*:missing" lets upstream's one Flyway history hold
     * versions from environment folders that another deployment leaves out (dev, stg, ...); here Flyway sees only
     * {@code ddl/} and the data versions go to migrator's own history, so no applied version is ever missing locally.
     */
    private static MigratorConfiguration byVersion(FreshDatabase database, Path folder) {
        return Migrator.configure(database.dataSource())
                .schemaLocations("filesystem:" + ddl(folder))
                .dataLocations("filesystem:" + allEnvs(folder), "filesystem:" + nle(folder))
                .dataPrefix("V")
                .dataOrdering(DataOrdering.BY_VERSION);
    }

    @AfterAll
    void dropDatabases() {
        if (this.viaMigrator != null) {
            this.viaMigrator.close();
        }
        if (this.viaJdbc != null) {
            this.viaJdbc.close();
        }
    }

    @Test
    void opalSetByVersionGivesTheSchemaOfAFileByFileRunInVersionOrder() {
        List<String> expected = SchemaSnapshot.of(required(this.viaJdbc).dataSource(), "public");
        List<String> actual = SchemaSnapshot.of(required(this.viaMigrator).dataSource(), "public");

        // Guards against a vacuous pass: two empty or half-read schemas would also be equal.
        assertThat(expected)
                .contains("relation defendant_accounts table", "relation courts table")
                .anyMatch(line -> line.startsWith("procedure p_run_interface_job("))
                .anyMatch(line -> line.startsWith("type ") && line.contains(" enum ("))
                .anyMatch(line -> line.startsWith("view v_interface_jobs_processed_file_summary:"))
                .hasSizeGreaterThan(2000);
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @Test
    void opalSetByVersionGivesTheRowsOfAFileByFileRunTableByTable() {
        Map<String, Long> expected = RowCounts.of(required(this.viaJdbc).dataSource(), "public");
        Map<String, Long> actual = RowCounts.of(required(this.viaMigrator).dataSource(), "public");

        // The seed data really arrived (courts come from nle, business units from allEnvs), V1_5's rows made it
        // through V1_215's rename, and V1_11 is absent.
        assertThat(expected)
                .doesNotContainKeys(HISTORY_TABLES.toArray(String[]::new))
                .containsEntry("imposition_categories", 8L)
                .containsEntry("offences", 0L)
                .hasEntrySatisfying("courts", count -> assertThat(count).isPositive())
                .hasEntrySatisfying("business_units", count -> assertThat(count).isPositive());
        // What psql gives, one file at a time with -1 in the same order, on PostgreSQL 15: the plain side is no straw
        // man.
        assertThat(expected.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3329);
        assertThat(actual).containsExactlyEntriesOf(expected);
    }

    /** Row counts cannot see mangled text; these two tables hold non-ASCII seed text (Welsh titles, a pound sign). */
    @Test
    void utf8SeedTextArrivesUnchanged() {
        DataSource expected = required(this.viaJdbc).dataSource();
        DataSource actual = required(this.viaMigrator).dataSource();

        assertThat(rowsAsText(expected, "write_off_codes")).anyMatch(row -> row.contains("Sum Less Than £10"));
        assertThat(rowsAsText(expected, "results")).anyMatch(row -> row.contains("Gwŷs Gorfodi"));
        for (String table : List.of("write_off_codes", "results")) {
            assertThat(rowsAsText(actual, table)).as(table).containsExactlyElementsOf(rowsAsText(expected, table));
        }
    }

    @Test
    void eachTrackAppliesItsOwnFoldersInVersionOrder() {
        RunReport report = required(this.firstRun);
        Path folder = required(this.folder);

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(scripts(report.schemaApplied()))
                .hasSize(SCHEMA_FILES)
                .containsExactlyElementsOf(fileNames(PlainJdbcMigrations.inFlywayOrder(ddl(folder))));
        assertThat(scripts(report.dataApplied()))
                .hasSize(DATA_FILES)
                .containsExactlyElementsOf(fileNames(PlainJdbcMigrations.inFlywayOrder(allEnvs(folder), nle(folder))));
    }

    /**
     * The two histories together, in the order their rows were written, must be the merged version order: each data
     * migration ran on the schema of its version, not after all of the DDL. {@code installed_on} is the start of each
     * migration's transaction on both tracks.
     */
    @Test
    void dataMigrationsRunBetweenTheSchemaMigrationsAroundTheirVersion() {
        JdbcTemplate jdbc = new JdbcTemplate(required(this.viaMigrator).dataSource());

        List<String> applied = jdbc.queryForList("""
                SELECT script FROM (
                    SELECT script, installed_on, installed_rank, 1 AS track FROM flyway_schema_history WHERE success
                    UNION ALL
                    SELECT script, installed_on, installed_rank, 2 FROM migrator_data_history WHERE success) AS h
                ORDER BY installed_on, track, installed_rank
                """, String.class);

        assertThat(applied).containsExactlyElementsOf(fileNames(this.files));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM migrator_data_history_progress", Long.class))
                .isZero();
    }

    @Test
    void secondRunAppliesNothing() {
        Migrator migrator = required(this.migrator);

        RunReport report = assertTimeoutPreemptively(RUN_TIMEOUT, () -> migrator.migrate());

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(report.schemaApplied()).isEmpty();
        assertThat(report.dataApplied()).isEmpty();
    }

    /**
     * With the default ordering every DDL file runs first, so V1_5 finds its table already renamed by V1_215. The
     * failure must say which file and how to run the set as it was written.
     */
    @Test
    void afterSchemaOrderingFailsNamingTheDataMigrationAndSuggestsByVersion() {
        Path folder = required(this.folder);
        try (FreshDatabase database = TestPostgres.server().createDatabase()) {
            Migrator afterSchema = byVersion(database, folder)
                    .dataOrdering(DataOrdering.AFTER_SCHEMA)
                    .load();

            assertThatExceptionOfType(MigrationFailedException.class)
                    .isThrownBy(() -> assertTimeoutPreemptively(RUN_TIMEOUT, () -> afterSchema.migrate()))
                    .satisfies(ex -> {
                        assertThat(ex.getMessage())
                                .contains("Data migration 'V1_5__imposition_category_item_number_data.sql' failed")
                                .contains("relation \"public.imposition_category_item_number\" does not exist")
                                .contains("set dataOrdering=by-version");
                        assertThat(ex.report().schemaApplied()).hasSize(SCHEMA_FILES);
                        assertThat(scripts(ex.report().dataApplied()))
                                .containsExactly(
                                        "V1_2__audit_amendment_fields_data.sql",
                                        "V1_3__business_units_data.sql",
                                        "V1_4__documents_data.sql");
                    });
        }
    }

    private static List<String> rowsAsText(DataSource dataSource, String table) {
        return new JdbcTemplate(dataSource)
                .queryForList("SELECT t::text FROM " + table + " t ORDER BY 1", String.class);
    }

    private static List<String> scripts(List<AppliedMigration> applied) {
        return applied.stream()
                .map(migration ->
                        Path.of(migration.migration().script()).getFileName().toString())
                .toList();
    }

    private static List<String> fileNames(List<Path> files) {
        return files.stream().map(file -> file.getFileName().toString()).toList();
    }

    private static Path ddl(Path folder) {
        return folder.resolve("ddl");
    }

    private static Path allEnvs(Path folder) {
        return folder.resolve("data").resolve("allEnvs");
    }

    private static Path nle(Path folder) {
        return folder.resolve("data").resolve("nle");
    }

    /** The prepared fields are only null when the preparation failed, which the first test reports. */
    private static <T> T required(@Nullable T value) {
        assertThat(value)
                .as("prepared before the first test, whose failure gives the cause")
                .isNotNull();
        return value;
    }
}
