package dev.migrator.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.migrator.core.BackfillProgress;
import dev.migrator.core.MigrationFailedException;
import dev.migrator.core.Migrator;
import dev.migrator.core.MigratorConfiguration;
import dev.migrator.core.RunReport;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Backfills whose batches are sized to a time budget. Each range's work costs a known time per row
 * (a sleep of 0.1 ms per row in the database), so the sizes the backfill should find are known: a
 * budget of 50 ms fits about 500 rows.
 */
class TimedBackfillIntegrationTests {

    private static final int ROWS = 12_000;

    @TempDir
    Path schema;

    private FreshDatabase database;

    private JdbcTemplate jdbc;

    @BeforeEach
    void setUp() throws IOException {
        this.database = TestPostgres.server().createDatabase();
        this.jdbc = new JdbcTemplate(this.database.dataSource());
        Files.writeString(
                this.schema.resolve("V1__create_item.sql"),
                "CREATE TABLE item (id bigint PRIMARY KEY, touched int NOT NULL DEFAULT 0);\n"
                        + "INSERT INTO item (id) SELECT g FROM generate_series(1, " + ROWS + ") AS g;");
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void batchesGrowFromTheStartingSizeToWhatTheBudgetFits() {
        D1__SleepingBackfill backfill =
                new D1__SleepingBackfill(b -> b.batchSize(20).batchTime(Duration.ofMillis(50)));

        RunReport report = migrator().dataMigrations(List.of(backfill)).load().migrate();

        assertThat(report.dataApplied()).hasSize(1);
        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM item WHERE touched <> 1", Long.class))
                .as("every row processed once")
                .isZero();
        List<Long> sizes = backfill.ranges;
        assertThat(sizes.get(0)).as("the first batch holds the starting size").isEqualTo(20);
        assertThat(sizes.get(1)).as("a batch at most doubles the one before").isLessThanOrEqualTo(40);
        // 0.1 ms per row and 50 ms per batch: about 500 rows, from the fifth batch on.
        List<Long> settled = sizes.subList(8, sizes.size() - 1);
        assertThat(settled).isNotEmpty().allSatisfy(size -> assertThat(size).isBetween(200L, 700L));
        assertThat(backfill.result.batches()).isEqualTo(sizes.size());
    }

    @Test
    void theLargestBatchCapsTheSize() {
        D1__SleepingBackfill backfill =
                new D1__SleepingBackfill(b -> b.batchSize(20).maxBatchSize(100).batchTime(Duration.ofMillis(50)));

        migrator().dataMigrations(List.of(backfill)).load().migrate();

        assertThat(Collections.max(backfill.ranges)).isEqualTo(100);
        assertThat(backfill.result.rows()).isEqualTo(ROWS);
    }

    @Test
    void aZeroBudgetKeepsEveryBatchAtTheBatchSize() {
        D1__SleepingBackfill backfill =
                new D1__SleepingBackfill(b -> b.batchSize(1000).batchTime(Duration.ZERO));

        migrator().dataMigrations(List.of(backfill)).load().migrate();

        assertThat(backfill.ranges).hasSize(12).containsOnly(1000L);
    }

    @Test
    void aBatchThatHitsTheStatementTimeoutIsRolledBackAndTriedAgainHalved() {
        // 3,000 rows take 300 ms, over the 200 ms statement timeout; 1,500 take 150 ms.
        D1__SleepingBackfill backfill =
                new D1__SleepingBackfill(b -> b.batchSize(3000).batchTime(Duration.ofMillis(100)));

        RunReport report = migrator()
                .statementTimeout(Duration.ofMillis(200))
                .dataMigrations(List.of(backfill))
                .load()
                .migrate();

        assertThat(report.dataApplied()).hasSize(1);
        assertThat(backfill.tried.get(0)).as("the first try").isEqualTo(3000);
        assertThat(backfill.ranges.get(0)).as("the first committed batch").isEqualTo(1500);
        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM item WHERE touched <> 1", Long.class))
                .as("every row processed once, the rolled-back try included")
                .isZero();
    }

    @Test
    void aBatchThatWaitsOnARealLockPastItsTimeoutIsTriedAgainHalved() throws Exception {
        D1__SleepingBackfill backfill =
                new D1__SleepingBackfill(b -> b.batchSize(2000).batchTime(Duration.ofMillis(100)));
        Migrator migrator = migrator()
                .lockTimeout(Duration.ofMillis(50), Duration.ofMillis(100))
                .lockRetries(20, Duration.ofMillis(10))
                .dataMigrations(List.of(backfill))
                .load();
        migrator.migrateSchema();
        RunReport report;
        // Another session holds row 1000 in an open transaction: ranges of 2,000 and 1,000 rows from id 1 wait on it.
        try (java.sql.Connection blocker = this.database.dataSource().getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement lock = blocker.createStatement()) {
                lock.execute("SELECT id FROM item WHERE id = 1000 FOR UPDATE");
            }
            CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(migrator::migrateData);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (backfill.ranges.isEmpty() && !run.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            blocker.rollback();
            report = run.get(60, TimeUnit.SECONDS);
        }

        assertThat(report.dataApplied()).hasSize(1);
        assertThat(backfill.tried.subList(0, 3))
                .as("2,000 rows wait on the lock and time out, 1,000 too, 500 end before row 1000")
                .containsExactly(2000L, 1000L, 500L);
        assertThat(backfill.ranges.get(0)).as("the first committed batch").isEqualTo(500);
        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM item WHERE touched <> 1", Long.class))
                .as("every row processed once, the rolled-back tries included")
                .isZero();
    }

    @Test
    void theStatusShowsARunningBackfillWithItsBatchSize() throws Exception {
        D1__SleepingBackfill backfill =
                new D1__SleepingBackfill(b -> b.batchSize(20).batchTime(Duration.ofMillis(50)));
        Migrator migrator = migrator().dataMigrations(List.of(backfill)).load();
        CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(migrator::migrate);
        List<BackfillProgress> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!run.isDone() && System.nanoTime() < deadline) {
            List<BackfillProgress> backfills = migrator.status().backfills();
            if (!backfills.isEmpty() && backfills.get(0).batches() >= 10) {
                seen.addAll(backfills);
                break;
            }
            Thread.sleep(20);
        }

        run.get(60, TimeUnit.SECONDS);

        assertThat(seen).as("status read while the backfill ran").hasSize(1);
        BackfillProgress progress = seen.get(0);
        assertThat(progress.version()).isEqualTo("1");
        assertThat(progress.name()).isEqualTo("item.id");
        assertThat(progress.batchSize()).isBetween(200, 700);
        assertThat(progress.rowsDone()).isPositive();
        assertThat(migrator.status().backfills())
                .as("none once the migration is applied")
                .isEmpty();
    }

    @Test
    void aBackfillRefusesANegativeBudgetOrAnEmptyBatchBeforeItTouchesARow() {
        for (java.util.function.UnaryOperator<Backfill> setup : List.<java.util.function.UnaryOperator<Backfill>>of(
                b -> b.batchTime(Duration.ofMillis(-5)), b -> b.maxBatchSize(0), b -> b.batchSize(0))) {
            D1__SleepingBackfill backfill = new D1__SleepingBackfill(setup);
            Migrator migrator = migrator().dataMigrations(List.of(backfill)).load();

            assertThatExceptionOfType(MigrationFailedException.class)
                    .isThrownBy(migrator::migrate)
                    .withMessageContaining("Invalid ")
                    .withMessageContaining("for table 'item'");
            assertThat(backfill.tried).isEmpty();
            assertThat(this.jdbc.queryForObject("SELECT count(*) FROM item WHERE touched <> 0", Long.class))
                    .isZero();
        }
    }

    private MigratorConfiguration migrator() {
        return Migrator.configure(this.database.dataSource()).schemaLocations("filesystem:" + this.schema);
    }

    /** Touches each row of a range after sleeping 0.1 ms per row, and records the sizes of the ranges. */
    static final class D1__SleepingBackfill extends BaseDataMigration {

        private final java.util.function.UnaryOperator<Backfill> setup;

        final List<Long> ranges = Collections.synchronizedList(new ArrayList<>());

        final List<Long> tried = Collections.synchronizedList(new ArrayList<>());

        BackfillResult result;

        D1__SleepingBackfill(java.util.function.UnaryOperator<Backfill> setup) {
            this.setup = setup;
        }

        @Override
        public boolean transactional() {
            return false;
        }

        @Override
        public void migrate(DataMigrationContext context) {
            this.result = this.setup.apply(context.backfill("item")).forEachRange((connection, first, last) -> {
                long rows = ((Number) last).longValue() - ((Number) first).longValue() + 1;
                this.tried.add(rows);
                try (Statement pause = connection.createStatement();
                        PreparedStatement update = connection.prepareStatement(
                                "UPDATE item SET touched = touched + 1 WHERE id BETWEEN ? AND ?")) {
                    pause.execute("SELECT pg_sleep(" + rows * 0.0001 + ")");
                    update.setObject(1, first);
                    update.setObject(2, last);
                    long changed = update.executeUpdate();
                    this.ranges.add(rows);
                    return changed;
                }
            });
        }
    }
}
