package dev.migrator.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.migrator.core.AppliedMigration;
import dev.migrator.core.Migrator;
import dev.migrator.core.RunReport;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

/**
 * Marquez's 84 SQL migrations (dotted versions, repeatables, {@code CREATE INDEX CONCURRENTLY} in V47) applied by
 * migrator must give the schema that applying the files by hand gives. V47 is the reason this set is here: under
 * Flyway's default transactional lock the run hangs on it, because the concurrent index build waits for the
 * transaction that holds the lock.
 *
 * <p>Both databases are migrated once, before the first test; the tests then only read them, apart from the second
 * run, which changes nothing when migrator works.
 */
@TestInstance(Lifecycle.PER_CLASS)
class MarquezAcceptanceIntegrationTests {

    private static final String SET = "MarquezProject__marquez";

    private static final int SQL_FILES = 84;

    /** Generous for 84 small files on a slow CI machine, short enough that a lock deadlock fails the build. */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

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
            this.files = PlainJdbcMigrations.inFlywayOrder(folder);
            migrateOneDatabaseWithMigratorAndAnotherFileByFile(folder);
        }
    }

    private void migrateOneDatabaseWithMigratorAndAnotherFileByFile(Path folder) {
        TestPostgres server = TestPostgres.server();
        FreshDatabase viaMigrator = server.createDatabase();
        this.viaMigrator = viaMigrator;
        FreshDatabase viaJdbc = server.createDatabase();
        this.viaJdbc = viaJdbc;
        // Upstream sets placeholderReplacement=false and validateMigrationNaming=false. Neither is needed here: no
        // file holds a ${...} placeholder and every file is named the way Flyway expects, so the set runs on
        // migrator's defaults, which is the stronger claim.
        Migrator migrator = Migrator.configure(viaMigrator.dataSource())
                .schemaLocations("filesystem:" + folder)
                .load();
        this.migrator = migrator;
        this.firstRun = assertTimeoutPreemptively(
                RUN_TIMEOUT,
                () -> migrator.migrate(),
                () -> "The Marquez run did not finish within " + RUN_TIMEOUT
                        + "; a run that stalls on V47 (CREATE INDEX CONCURRENTLY) waits for its own lock transaction");
        PlainJdbcMigrations.applyEachFileAsOneStatement(viaJdbc.dataSource(), this.files);
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
    void marquezSetAppliesLikePsqlIncludingCreateIndexConcurrently() {
        List<String> expected = SchemaSnapshot.of(required(this.viaJdbc).dataSource(), "public");
        List<String> actual = SchemaSnapshot.of(required(this.viaMigrator).dataSource(), "public");

        // Guards against a vacuous pass: two empty or half-read schemas would also be equal.
        assertThat(expected)
                .contains("relation lineage_events table", "relation jobs_view view")
                .contains("index lineage_events_event_time CREATE INDEX lineage_events_event_time"
                        + " ON public.lineage_events USING btree (event_time DESC)")
                .anyMatch(line -> line.startsWith("function rewrite_jobs_fqn_table()"))
                .anyMatch(line -> line.startsWith("trigger "))
                .hasSizeGreaterThan(400);
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @Test
    void reportListsEveryFileOnceInFlywayOrder() {
        RunReport report = required(this.firstRun);

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(report.error()).isEmpty();
        assertThat(this.files).hasSize(SQL_FILES);
        assertThat(report.schemaApplied())
                .hasSize(SQL_FILES)
                .map(AppliedMigration::migration)
                .map(migration -> Path.of(migration.script()).getFileName())
                .containsExactlyElementsOf(
                        this.files.stream().map(Path::getFileName).toList());
    }

    @Test
    void secondRunAppliesNothing() {
        Migrator migrator = required(this.migrator);

        RunReport report = assertTimeoutPreemptively(RUN_TIMEOUT, () -> migrator.migrate());

        assertThat(report.outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
        assertThat(report.schemaApplied()).isEmpty();
    }

    /** The prepared fields are only null when the preparation failed, which the first test reports. */
    private static <T> T required(@Nullable T value) {
        assertThat(value)
                .as("prepared before the first test, whose failure gives the cause")
                .isNotNull();
        return value;
    }
}
