package dev.migrator.bench;

import dev.migrator.core.Migrator;
import dev.migrator.core.RunReport;
import dev.migrator.core.data.BackfillResult;
import dev.migrator.core.data.BaseDataMigration;
import dev.migrator.core.data.DataMigrationContext;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

/**
 * A backfill of one column over a large table: migrator's batch helper, run as a non-transactional
 * Java data migration through {@link Migrator#migrate()}, against one single {@code UPDATE} of the
 * whole table, which is as fast as PostgreSQL gets and holds every row lock until it ends. Each run
 * gets its own copy of the same table, so both do the same work on the same pages.
 */
final class BackfillBenchmark {

    static final String BATCH_UPDATE = "UPDATE item SET domain = split_part(email, '@', 2) WHERE id BETWEEN ? AND ?";

    static final String SINGLE_UPDATE = "UPDATE item SET domain = split_part(email, '@', 2)";

    private static final String WRONG_ROWS =
            "SELECT count(*) FROM item WHERE domain IS DISTINCT FROM split_part(email, '@', 2)";

    private final TestPostgres server;

    private final PrintStream out;

    private boolean checkpoints = true;

    BackfillBenchmark(TestPostgres server, PrintStream out) {
        this.server = server;
        this.out = out;
    }

    Result run(Path scripts, int rows, int batchSize, int warmup, int rounds) throws IOException, SQLException {
        String schema = writeSchema(scripts);
        Samples migrator = new Samples();
        Samples peer = new Samples();
        Samples walks = new Samples();
        Samples longestBatches = new Samples();
        long batches = 0;
        try (FreshDatabase template = this.server.createDatabase()) {
            long start = System.nanoTime();
            prepare(template, schema, rows);
            this.out.printf(
                    "  backfill: table of %,d rows prepared in %.0f ms%n", rows, (System.nanoTime() - start) / 1e6);
            String copyStatement = copyStatement(template);
            for (int round = 1; round <= warmup + rounds; round++) {
                Backfilled backfilled;
                long peerNanos;
                // Alternate who goes first, so that neither always runs on a cooler or warmer server.
                if (round % 2 == 1) {
                    backfilled = migrator(copyStatement, schema, rows, batchSize);
                    peerNanos = singleUpdate(copyStatement, rows);
                } else {
                    peerNanos = singleUpdate(copyStatement, rows);
                    backfilled = migrator(copyStatement, schema, rows, batchSize);
                }
                BackfillResult result = backfilled.result();
                boolean measured = round > warmup;
                if (measured) {
                    migrator.add(backfilled.nanos());
                    peer.add(peerNanos);
                    walks.add(result.duration().toNanos());
                    longestBatches.add(result.longestBatch().toNanos());
                    batches = result.batches();
                }
                this.out.printf(
                        "  backfill %s %d/%d: migrator %.0f ms (%d batches, longest %.1f ms), single UPDATE %.0f ms%n",
                        measured ? "round" : "warm-up",
                        measured ? round - warmup : round,
                        measured ? rounds : warmup,
                        backfilled.nanos() / 1e6,
                        result.batches(),
                        result.longestBatch().toNanos() / 1e6,
                        peerNanos / 1e6);
            }
        }
        double budget = BATCH_TIME.toNanos() / 1e6;
        List<String> notes = List.of(
                String.format(
                        "Backfill: %,d batches, the first of %,d rows, the next sized to %.0f ms (migrator's default"
                                + " batch-time), %,d rows each on average; longest single batch (how long its row"
                                + " locks were held) median %.1f ms, max %.1f ms, target at most %.0f ms (the budget and"
                                + " half of it): %s; the single UPDATE holds all %,d row locks for its whole duration"
                                + " (median %.0f ms).",
                        batches,
                        batchSize,
                        budget,
                        rows / Math.max(1, batches),
                        longestBatches.median(),
                        longestBatches.max(),
                        budget * 1.5,
                        (longestBatches.max() <= budget * 1.5) ? "pass" : "FAIL",
                        rows,
                        peer.median()),
                String.format(
                        "Backfill: the walk itself (BackfillResult.duration) median %.0f ms of migrate()'s %.0f ms;"
                                + " the rest is the run around it (connections, lock, schema validation, history).",
                        walks.median(), migrator.median()));
        return new Result(
                String.format("Backfill %,d rows, batches sized to %.0f ms from %,d rows", rows, budget, batchSize),
                "one single UPDATE",
                migrator,
                peer,
                warmup,
                "round",
                Result.Comparison.THROUGHPUT,
                0.9,
                notes);
    }

    /** The data migration under test: the batch helper walks {@code item} by its primary key. */
    /** migrator's default {@code migrator.data.batch-time}, named here so that the report can say it. */
    static final java.time.Duration BATCH_TIME = java.time.Duration.ofMillis(100);

    static final class D1__BackfillItemDomain extends BaseDataMigration {

        private final int batchSize;

        private @Nullable BackfillResult result;

        D1__BackfillItemDomain(int batchSize) {
            this.batchSize = batchSize;
        }

        @Override
        public boolean transactional() {
            return false;
        }

        @Override
        public void migrate(DataMigrationContext context) {
            this.result = context.backfill("item")
                    .batchSize(this.batchSize)
                    .batchTime(BATCH_TIME)
                    .update(BATCH_UPDATE);
        }

        Optional<BackfillResult> result() {
            return Optional.ofNullable(this.result);
        }
    }

    private record Backfilled(long nanos, BackfillResult result) {}

    private static String writeSchema(Path scripts) throws IOException {
        Path directory = Files.createDirectories(scripts.resolve("backfill-schema"));
        Files.writeString(
                directory.resolve("V1__create_item.sql"),
                "CREATE TABLE item (id bigint PRIMARY KEY, email text, domain text);\n",
                StandardCharsets.UTF_8);
        return "filesystem:" + directory.toAbsolutePath();
    }

    /**
     * Create the table by a schema migration, as an application would, fill it, and freeze it: the
     * copies then start without dead tuples and with every page all-visible.
     */
    private static void prepare(FreshDatabase template, String schema, int rows) throws SQLException {
        DataSource dataSource = template.dataSource();
        Flyway.configure().dataSource(dataSource).locations(schema).load().migrate();
        Jdbc.execute(
                dataSource,
                "INSERT INTO item (id, email) SELECT i, 'user' || i || '@mail' || (i % 1000) || '.example.com'"
                        + " FROM generate_series(1, " + rows + ") AS i",
                "VACUUM (FREEZE, ANALYZE) item");
    }

    /**
     * The statement that replaces a fresh database by a copy of the template; a file copy where the
     * server has it (PostgreSQL 15 and later), which is much faster than logging every page.
     */
    private String copyStatement(FreshDatabase template) throws SQLException {
        long version = Jdbc.queryLong(this.server.adminDataSource(), "SELECT current_setting('server_version_num')");
        return "CREATE DATABASE %s TEMPLATE " + template.name() + ((version >= 150000) ? " STRATEGY FILE_COPY" : "");
    }

    /** A fresh copy of the template, which the caller closes to drop it. */
    private FreshDatabase copy(String copyStatement) throws SQLException {
        FreshDatabase copy = this.server.createDatabase();
        try {
            // TestPostgres creates empty databases only: replace this one by a copy under the same name,
            // which close() then drops as usual.
            Jdbc.execute(
                    this.server.adminDataSource(),
                    "DROP DATABASE " + copy.name(),
                    copyStatement.formatted(copy.name()));
            checkpoint(copy.dataSource());
            return copy;
        } catch (SQLException | RuntimeException ex) {
            copy.close();
            throw ex;
        }
    }

    /** Start each timed run with no dirty pages left by the one before, so neither pays for the other's writes. */
    private void checkpoint(DataSource dataSource) throws SQLException {
        if (!this.checkpoints) {
            return;
        }
        try {
            Jdbc.execute(dataSource, "CHECKPOINT");
        } catch (SQLException ex) {
            if (!"42501".equals(ex.getSQLState())) {
                throw ex;
            }
            this.checkpoints = false;
            this.out.println("  backfill: the user may not run CHECKPOINT; runs may include checkpoints of others");
        }
    }

    private Backfilled migrator(String copyStatement, String schema, int rows, int batchSize) throws SQLException {
        try (FreshDatabase database = copy(copyStatement)) {
            DataSource dataSource = database.dataSource();
            D1__BackfillItemDomain migration = new D1__BackfillItemDomain(batchSize);
            System.gc();
            long start = System.nanoTime();
            RunReport report = Migrator.configure(dataSource)
                    .schemaLocations(schema)
                    .dataMigrations(List.of(migration))
                    .load()
                    .migrate();
            long elapsed = System.nanoTime() - start;
            if (report.dataApplied().size() != 1) {
                throw new IllegalStateException(
                        "migrator applied " + report.dataApplied().size() + " data migrations, expected 1");
            }
            BackfillResult result = migration
                    .result()
                    .orElseThrow(() -> new IllegalStateException("The backfill migration did not run"));
            check("migrator", result.rows(), rows, dataSource);
            return new Backfilled(elapsed, result);
        }
    }

    private long singleUpdate(String copyStatement, int rows) throws SQLException {
        try (FreshDatabase database = copy(copyStatement)) {
            DataSource dataSource = database.dataSource();
            System.gc();
            long start = System.nanoTime();
            long updated;
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                updated = statement.executeUpdate(SINGLE_UPDATE);
            }
            long elapsed = System.nanoTime() - start;
            check("The single UPDATE", updated, rows, dataSource);
            return elapsed;
        }
    }

    private static void check(String contender, long updated, int rows, DataSource dataSource) throws SQLException {
        long wrong = Jdbc.queryLong(dataSource, WRONG_ROWS);
        if (updated != rows || wrong != 0) {
            throw new IllegalStateException(contender + " updated " + updated + " of " + rows + " rows and left "
                    + wrong + " rows without the right domain");
        }
    }
}
