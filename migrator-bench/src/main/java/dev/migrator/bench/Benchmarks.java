package dev.migrator.bench;

import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.bridge.SLF4JBridgeHandler;
import org.springframework.boot.logging.LoggingSystem;

/**
 * Runs the benchmarks and prints their results as a Markdown table, also written to
 * {@code bench.output}. Each benchmark runs migrator and its peer round by round in the same JVM and
 * on the same server, after warm-up rounds, and compares the medians.
 *
 * <p>Run it with {@code ./mvnw -B -Pbench -pl migrator-bench -am verify -DskipTests}. System properties
 * change the size of the run: {@code bench.<benchmark>.rounds} and {@code bench.<benchmark>.warmup} for
 * each of {@code startup}, {@code apply}, {@code backfill} and {@code data}; {@code bench.startup.migrations},
 * {@code bench.apply.migrations}, {@code bench.data.migrations}, {@code bench.backfill.rows} and
 * {@code bench.backfill.batchSize}; for {@code endpoint}, {@code bench.endpoint.rounds}, {@code
 * bench.endpoint.requests} (per round and contender), {@code bench.endpoint.warmup} (requests) and {@code
 * bench.endpoint.migrations}; for {@code analysis}, {@code bench.analysis.rounds}, {@code bench.analysis.warmup}
 * and {@code bench.analysis.set} (the Marquez folder); {@code bench.include} runs only the named benchmarks, for example
 * {@code backfill,data}. The exit code is non-zero only when a benchmark could not run; a missed
 * target is reported, not failed.
 *
 * @since 0.1.0
 */
public final class Benchmarks {

    private static final List<String> BENCHMARKS =
            List.of("startup", "apply", "backfill", "data", "endpoint", "analysis", "fresh", "growth");

    /** Run only when named: the growth benchmark alone takes longer than all the others together. */
    private static final Set<String> ON_REQUEST = Set.of("growth");

    private Benchmarks() {}

    /**
     * Run the benchmarks.
     *
     * @param args ignored; settings are system properties
     */
    public static void main(String[] args) {
        // Boot would re-initialize Logback on every SpringApplication.run; logback.xml keeps it at WARN instead.
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        // Without Boot's logging system, Tomcat would log through java.util.logging straight to the console.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        Locale.setDefault(Locale.ROOT);
        int status;
        try {
            run(System.out);
            status = 0;
        } catch (Exception | Error ex) {
            System.err.println("Benchmarks failed: " + ex);
            ex.printStackTrace();
            status = 1;
        }
        // Also runs the shutdown hook that stops the embedded server.
        System.exit(status);
    }

    private static void run(PrintStream out) throws Exception {
        Set<String> included = included();
        int startupRounds = positive("bench.startup.rounds", 40);
        int startupWarmup = notNegative("bench.startup.warmup", 10);
        int startupMigrations = positive("bench.startup.migrations", 500);
        int applyRounds = positive("bench.apply.rounds", 5);
        int applyWarmup = notNegative("bench.apply.warmup", 1);
        int applyMigrations = positive("bench.apply.migrations", 1000);
        int backfillRounds = positive("bench.backfill.rounds", 3);
        int backfillWarmup = notNegative("bench.backfill.warmup", 1);
        int backfillRows = positive("bench.backfill.rows", 1_000_000);
        int backfillBatchSize = positive("bench.backfill.batchSize", 1000);
        int dataRounds = positive("bench.data.rounds", 5);
        int dataWarmup = notNegative("bench.data.warmup", 1);
        int dataMigrations = positive("bench.data.migrations", 1000);
        int endpointRounds = positive("bench.endpoint.rounds", 5);
        int endpointRequests = positive("bench.endpoint.requests", 100);
        int endpointWarmup = notNegative("bench.endpoint.warmup", 200);
        int endpointMigrations = positive("bench.endpoint.migrations", 500);
        List<Integer> growthSizes = sizes("bench.growth.sizes", "100,1000,5000");
        int growthRounds = positive("bench.growth.rounds", 2);
        int growthRequests = positive("bench.growth.requests", 50);
        int analysisRounds = positive("bench.analysis.rounds", 20);
        int analysisWarmup = notNegative("bench.analysis.warmup", 3);
        Path analysisSet =
                Path.of(System.getProperty("bench.analysis.set", "../../shared/realworld/MarquezProject__marquez"));
        Path output = Path.of(System.getProperty("bench.output", "target/bench-results.md"));

        TestPostgres server = TestPostgres.server();
        out.println("Database: " + server.description());
        Path scripts = Files.createTempDirectory("migrator-bench");
        try {
            List<Result> results = new ArrayList<>();
            if (included.contains("startup")) {
                out.printf("Startup benchmark: %d warm-up and %d measured rounds%n", startupWarmup, startupRounds);
                results.add(new StartupBenchmark(server, out)
                        .run(scripts, startupMigrations, startupWarmup, startupRounds));
            }
            if (included.contains("apply")) {
                out.printf("Apply benchmark: %d warm-up and %d measured rounds%n", applyWarmup, applyRounds);
                results.addAll(new ApplyBenchmark(server, out).run(scripts, applyMigrations, applyWarmup, applyRounds));
            }
            if (included.contains("backfill")) {
                out.printf("Backfill benchmark: %d warm-up and %d measured rounds%n", backfillWarmup, backfillRounds);
                results.add(new BackfillBenchmark(server, out)
                        .run(scripts, backfillRows, backfillBatchSize, backfillWarmup, backfillRounds));
            }
            if (included.contains("data")) {
                out.printf("Data migrations benchmark: %d warm-up and %d measured rounds%n", dataWarmup, dataRounds);
                results.add(
                        new DataMigrationsBenchmark(server, out).run(scripts, dataMigrations, dataWarmup, dataRounds));
            }
            if (included.contains("endpoint")) {
                out.printf(
                        "Endpoint benchmark: %d warm-up requests, then %d rounds of %d requests, per contender%n",
                        endpointWarmup, endpointRounds, endpointRequests);
                results.add(new EndpointBenchmark(server, out)
                        .run(scripts, endpointMigrations, endpointWarmup, endpointRounds, endpointRequests));
            }
            if (included.contains("analysis")) {
                out.printf("Analysis benchmark: %d warm-up and %d measured rounds%n", analysisWarmup, analysisRounds);
                results.addAll(new AnalysisBenchmark(server, out).run(analysisSet, analysisWarmup, analysisRounds));
            }
            String growth = "";
            if (included.contains("growth")) {
                out.printf("Growth benchmark: %s migrations, %d measured rounds each%n", growthSizes, growthRounds);
                List<GrowthBenchmark.Size> sizes =
                        new GrowthBenchmark(server, out).run(scripts, growthSizes, growthRounds, growthRequests);
                sizes.forEach(size -> results.addAll(List.of(size.apply(), size.startup(), size.endpoint())));
                growth = GrowthBenchmark.table(sizes);
            }
            if (included.contains("fresh")) {
                // Its own table: time to a fresh migrated database per test context (the test slice).
                FreshDatabaseBenchmark.main(new String[0]);
            }
            String report = report(server, serverSettings(server), results) + growth;
            out.println();
            out.print(report);
            Files.createDirectories(output.toAbsolutePath().getParent());
            Files.writeString(output, report, StandardCharsets.UTF_8);
            out.println();
            out.println("Written to " + output.toAbsolutePath());
        } finally {
            deleteRecursively(scripts);
        }
    }

    static String report(TestPostgres server, String serverSettings, List<Result> results) {
        StringBuilder report = new StringBuilder("# migrator benchmarks\n\n");
        report.append("| benchmark | migrator (median ms) | peer (median ms) | ratio | target | pass/fail |\n");
        report.append("|---|---:|---:|---:|---:|---|\n");
        for (Result result : results) {
            report.append(String.format(
                    "| %s (peer: %s) | %s | %s | %.3f | %s %.2f | %s |%n",
                    result.name(),
                    result.peer(),
                    tableMillis(result.migrator().median()),
                    tableMillis(result.peerSamples().median()),
                    result.ratio(),
                    result.comparison().operator(),
                    result.target(),
                    result.passed() ? "pass" : "FAIL"));
        }
        report.append('\n');
        report.append("- Ratio: migrator's median time / the peer's, except where the target reads `>=`: there it is")
                .append(" the peer's median time / migrator's, that is migrator's throughput as a share of the")
                .append(" peer's.\n");
        for (Result result : results) {
            result.notes().forEach(note -> report.append("- ").append(note).append('\n'));
        }
        report.append("- Database: ")
                .append(server.description())
                .append(" (")
                .append(serverSettings)
                .append(")\n");
        Runtime runtime = Runtime.getRuntime();
        report.append(String.format(
                "- JVM: Java %s, %d processors, max heap %d MiB%n",
                Runtime.version(), runtime.availableProcessors(), runtime.maxMemory() / (1024 * 1024)));
        report.append("- Contenders interleaved round by round in one JVM, the first one alternating; medians of the")
                .append(" measured samples.\n");
        for (Result result : results) {
            report.append(String.format(
                    "- %s: %,d measured %ss each after %,d warm-up; median of the per-%s ratios %.3f;"
                            + " migrator %s ms (min %s, max %s); peer %s ms (min %s, max %s)%n",
                    result.name(),
                    result.migrator().size(),
                    result.sample(),
                    result.warmup(),
                    result.sample(),
                    result.medianRoundRatio(),
                    result.migrator(),
                    Samples.format(result.migrator().min()),
                    Samples.format(result.migrator().max()),
                    result.peerSamples(),
                    Samples.format(result.peerSamples().min()),
                    Samples.format(result.peerSamples().max())));
        }
        for (Result result : results) {
            if (!result.passed()) {
                report.append(String.format(
                        "%nMissed target: %s: ratio %.3f is %s %.2f.%n",
                        result.name(),
                        result.ratio(),
                        (result.comparison() == Result.Comparison.TIME) ? "above" : "below",
                        result.target()));
            }
        }
        return report.toString();
    }

    /** A median for the table: one decimal, two below 10 ms, where one would hide the difference. */
    private static String tableMillis(double millis) {
        return String.format((millis >= 10) ? "%.1f" : "%.2f", millis);
    }

    /** The server settings that weigh most on these numbers, commits and checkpoints above all. */
    private static String serverSettings(TestPostgres server) throws SQLException {
        return Jdbc.queryString(
                server.adminDataSource(),
                "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings"
                        + " WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers', 'max_wal_size',"
                        + " 'full_page_writes')");
    }

    private static List<Integer> sizes(String property, String defaults) {
        String text = System.getProperty(property, "").strip();
        List<Integer> sizes = new ArrayList<>();
        for (String part : (text.isEmpty() ? defaults : text).split(",")) {
            try {
                int size = Integer.parseInt(part.strip());
                if (size < 4) {
                    throw new NumberFormatException();
                }
                sizes.add(size);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("Invalid " + property + " '" + text
                        + "': give numbers of migrations of 4 or more, separated by commas, such as 100,1000,5000.");
            }
        }
        return sizes;
    }

    private static Set<String> included() {
        String text = System.getProperty("bench.include", "").strip();
        if (text.isEmpty()) {
            Set<String> all = new LinkedHashSet<>(BENCHMARKS);
            all.removeAll(ON_REQUEST);
            return all;
        }
        Set<String> included = new LinkedHashSet<>();
        for (String name : text.split("\\s*,\\s*")) {
            if (!BENCHMARKS.contains(name)) {
                throw new IllegalArgumentException("System property 'bench.include' names '" + name
                        + "'; use a comma-separated list of " + String.join(", ", BENCHMARKS) + ".");
            }
            included.add(name);
        }
        return included;
    }

    private static int positive(String name, int defaultValue) {
        return intProperty(name, defaultValue, 1);
    }

    private static int notNegative(String name, int defaultValue) {
        return intProperty(name, defaultValue, 0);
    }

    private static int intProperty(String name, int defaultValue, int min) {
        String text = System.getProperty(name, "").strip();
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min) {
                return value;
            }
        } catch (NumberFormatException ex) {
            // Reported below, with the accepted values.
        }
        throw new IllegalArgumentException(
                "System property '" + name + "' is '" + text + "'; use a whole number of " + min + " or more.");
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        }
    }
}
