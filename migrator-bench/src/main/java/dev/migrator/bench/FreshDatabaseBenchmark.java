package dev.migrator.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.migrator.core.Migrator;
import dev.migrator.test.internal.DatabaseTemplates;
import dev.migrator.test.internal.PostgresServer;
import dev.migrator.test.internal.ServerAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Time to a fresh, migrated database for one test context: migrating an empty database from scratch, as a test
 * without the slice does in every context, against cloning the template that the slice migrates once. Two sets: the
 * 84 migrations of Marquez ({@code shared/realworld}) and a synthetic 500 schema + 100 data migrations. Prints a
 * Markdown table of medians.
 *
 * <p>Each round of the clone measures what the slice does when a test class (or a new context) needs a database:
 * {@code CREATE DATABASE ... TEMPLATE}, a new Hikari pool on it and its first connection. "Clone + startup check"
 * adds the migrator run a new context performs on its clone, which finds nothing to apply. The database server is the
 * one of the tests: {@code MIGRATOR_TEST_JDBC_URL} or {@code migrator.test.url}, otherwise an embedded PostgreSQL 17.
 *
 * <p>Run with the other benchmarks ({@code -Dbench.include=fresh} for this one alone); system properties {@code bench.rounds} (clone
 * rounds, default 31), {@code bench.scratch-rounds} (default 7), {@code bench.class-ms} (how long a test class runs
 * while the next clone is made, default 300) and {@code migrator.realworld.dir}.
 */
public final class FreshDatabaseBenchmark {

    private final PostgresServer server;

    private final DatabaseTemplates templates;

    private final int rounds;

    private final int scratchRounds;

    private final long classMillis;

    private FreshDatabaseBenchmark(PostgresServer server, int rounds, int scratchRounds, long classMillis) {
        this.server = server;
        this.templates = server.templates();
        this.rounds = rounds;
        this.scratchRounds = scratchRounds;
        this.classMillis = classMillis;
    }

    public static void main(String[] args) throws Exception {
        String url = System.getProperty(PostgresServer.URL_PROPERTY, System.getenv(PostgresServer.URL_VARIABLE));
        PostgresServer server =
                (url != null && !url.isBlank()) ? PostgresServer.external(url) : PostgresServer.embedded();
        FreshDatabaseBenchmark benchmark = new FreshDatabaseBenchmark(
                server,
                Integer.getInteger("bench.rounds", 31),
                Integer.getInteger("bench.scratch-rounds", 7),
                Long.getLong("bench.class-ms", 300));
        List<Row> rows = new ArrayList<>();
        Path marquez = realWorld().resolve("MarquezProject__marquez");
        if (Files.isDirectory(marquez)) {
            rows.add(benchmark.measure("Marquez (84 schema)", List.of("filesystem:" + marquez), List.of()));
        } else {
            System.out.println("Skipping Marquez: no folder " + marquez + " (set migrator.realworld.dir)");
        }
        Path synthetic = Files.createTempDirectory("fresh-database-benchmark");
        Synthetic.write(synthetic, 500, 100);
        rows.add(benchmark.measure(
                "synthetic (500 schema + 100 data)",
                List.of("filesystem:" + synthetic.resolve("schema")),
                List.of("filesystem:" + synthetic.resolve("data"))));
        System.out.println();
        System.out.println("Server: " + server.description() + "; medians of " + benchmark.rounds + " clone rounds and "
                + benchmark.scratchRounds + " scratch rounds");
        System.out.println();
        System.out.println("| set | from scratch | template build (once) | fresh database per test class |"
                + " new context (clone + startup check) | CREATE DATABASE on the spot | scratch / fresh |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (Row row : rows) {
            System.out.println(String.format(
                    Locale.ROOT,
                    "| %s | %d ms | %d ms | %.1f ms | %.1f ms | %.1f ms | %.0fx |",
                    row.set(),
                    row.scratch().toMillis(),
                    row.build().toMillis(),
                    millis(row.fresh()),
                    millis(row.context()),
                    millis(row.create()),
                    (double) row.scratch().toNanos() / row.fresh().toNanos()));
        }
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }

    private Row measure(String set, List<String> schema, List<String> data) {
        System.out.println("== " + set);
        // From scratch: what every context pays without a template.
        List<Duration> scratch = new ArrayList<>();
        for (int round = 0; round < this.scratchRounds + 1; round++) {
            String name = "bench_scratch_" + UUID.randomUUID().toString().replace("-", "");
            long start = System.nanoTime();
            this.server.execute("CREATE DATABASE " + name);
            HikariDataSource pool = pool(this.server.address(name));
            try {
                migrator(pool, schema, data).migrate();
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                // The first round warms the JVM up (Flyway's classes, the JIT) and is not counted.
                if (round > 0) {
                    scratch.add(elapsed);
                }
                System.out.println("  scratch " + elapsed.toMillis() + " ms");
            } finally {
                pool.close();
                this.server.drop(name);
            }
        }
        // The template, once.
        String template =
                DatabaseTemplates.templateName(UUID.randomUUID().toString().replace("-", ""));
        long buildStart = System.nanoTime();
        DatabaseTemplates.Build build =
                this.templates.startBuild(template, Duration.ofMinutes(1)).orElseThrow();
        try {
            HikariDataSource pool = pool(this.server.address(template));
            try {
                migrator(pool, schema, data).migrate();
            } finally {
                pool.close();
            }
            build.complete();
        } finally {
            build.close();
        }
        Duration buildTime = Duration.ofNanos(System.nanoTime() - buildStart);
        System.out.println("  template built in " + buildTime.toMillis() + " ms");
        try {
            Duration create = timeClones("CREATE DATABASE ... TEMPLATE + pool", template, false, null, null);
            Duration fresh = timeClones("spare clone + pool (per test class)", template, true, null, null);
            Duration context =
                    timeClones("spare clone + pool + startup check (new context)", template, true, schema, data);
            return new Row(set, median(scratch), buildTime, create, fresh, context);
        } finally {
            this.server.execute("ALTER DATABASE " + template + " WITH IS_TEMPLATE false");
            this.server.drop(template);
        }
    }

    /**
     * Clone rounds. {@code spare}: the way the slice takes a clone, the spare one made in the background while the
     * previous test class ran (a pause of {@code bench.class-ms} stands for that class, untimed); otherwise a
     * {@code CREATE DATABASE} on the spot. With locations, the startup check of a new context (a migrator run that
     * finds nothing to do) is timed too.
     */
    private Duration timeClones(
            String label, String template, boolean spare, @Nullable List<String> schema, @Nullable List<String> data) {
        List<Duration> times = new ArrayList<>();
        for (int round = 0; round < this.rounds + 1; round++) {
            if (spare) {
                pause();
            }
            long start = System.nanoTime();
            String clone = spare ? this.templates.takeClone(template) : this.templates.createClone(template);
            HikariDataSource pool = pool(this.server.address(clone));
            try {
                try (Connection connection = pool.getConnection()) {
                    connection.isValid(1);
                }
                if (schema != null && data != null) {
                    migrator(pool, schema, data).migrate();
                }
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                if (round > 0) {
                    times.add(elapsed);
                }
            } catch (SQLException ex) {
                throw new IllegalStateException(ex);
            } finally {
                pool.close();
                this.templates.dropClone(clone);
            }
        }
        Duration median = median(times);
        System.out.println(String.format(Locale.ROOT, "  %s: median %.1f ms", label, median.toNanos() / 1e6));
        return median;
    }

    private void pause() {
        try {
            Thread.sleep(this.classMillis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static Migrator migrator(HikariDataSource pool, List<String> schema, List<String> data) {
        return Migrator.configure(pool)
                .schemaLocations(schema)
                .dataLocations(data.isEmpty() ? List.of("filesystem:does-not-exist") : data)
                .load();
    }

    private static HikariDataSource pool(ServerAddress address) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(address.jdbcUrl());
        pool.setUsername(address.user());
        pool.setPassword(address.password());
        pool.setMinimumIdle(0);
        pool.setInitializationFailTimeout(-1);
        return pool;
    }

    private static Duration median(List<Duration> times) {
        List<Duration> sorted = times.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static Path realWorld() {
        String configured = System.getProperty("migrator.realworld.dir");
        return (configured == null || configured.isBlank())
                ? Path.of("..", "..", "shared", "realworld").toAbsolutePath().normalize()
                : Path.of(configured);
    }

    record Row(String set, Duration scratch, Duration build, Duration create, Duration fresh, Duration context) {}

    /** Writes a synthetic set: tables with columns, indexes and constraints, and data migrations that fill them. */
    static final class Synthetic {

        private Synthetic() {}

        static void write(Path root, int schemaMigrations, int dataMigrations) {
            try {
                Path schema = Files.createDirectories(root.resolve("schema"));
                Path data = Files.createDirectories(root.resolve("data"));
                int tables = (schemaMigrations + 3) / 4;
                for (int v = 1; v <= schemaMigrations; v++) {
                    int table = (v - 1) / 4 + 1;
                    String sql = switch ((v - 1) % 4) {
                        case 0 ->
                            "CREATE TABLE item_" + table + " (id bigint GENERATED BY DEFAULT AS IDENTITY"
                                    + " PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT"
                                    + " now());";
                        case 1 -> "ALTER TABLE item_" + table + " ADD COLUMN amount numeric(12, 2);";
                        case 2 -> "CREATE INDEX item_" + table + "_name_idx ON item_" + table + " (name);";
                        default ->
                            "ALTER TABLE item_" + table + " ADD CONSTRAINT item_" + table
                                    + "_amount_check CHECK (amount >= 0);";
                    };
                    Files.writeString(schema.resolve("V" + v + "__step_" + v + ".sql"), sql);
                }
                for (int v = 1; v <= dataMigrations; v++) {
                    int table = (v - 1) % tables + 1;
                    Files.writeString(
                            data.resolve("D" + v + "__fill_" + v + ".sql"),
                            "INSERT INTO item_" + table + " (name, amount) SELECT 'item ' || n, n"
                                    + " FROM generate_series(1, 100) AS n;");
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }
}
