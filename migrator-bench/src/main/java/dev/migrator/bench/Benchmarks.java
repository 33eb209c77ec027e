package dev.migrator.bench;

import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.springframework.boot.logging.LoggingSystem;

/**
 * Runs the benchmarks and prints their results as a Markdown table, also written to
 * {@code bench.output}. Each benchmark runs migrator and its peer round by round in the same JVM and
 * on the same server, after warm-up rounds, and compares the medians.
 *
 * <p>Run it with {@code ./mvnw -B -Pbench -pl migrator-bench -am verify -DskipTests}. System properties
 * {@code bench.startup.rounds}, {@code bench.startup.warmup}, {@code bench.startup.migrations},
 * {@code bench.apply.rounds}, {@code bench.apply.warmup} and {@code bench.apply.migrations} change the
 * size of the run. The exit code is non-zero only when a benchmark could not run; a missed target is
 * reported, not failed.
 *
 * @since 0.1.0
 */
public final class Benchmarks {

    private Benchmarks() {}

    /**
     * Run the benchmarks.
     *
     * @param args ignored; settings are system properties
     */
    public static void main(String[] args) {
        // Boot would re-initialize Logback on every SpringApplication.run; logback.xml keeps it at WARN instead.
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
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
        int startupRounds = positive("bench.startup.rounds", 15);
        int startupWarmup = notNegative("bench.startup.warmup", 5);
        int startupMigrations = positive("bench.startup.migrations", 500);
        int applyRounds = positive("bench.apply.rounds", 5);
        int applyWarmup = notNegative("bench.apply.warmup", 1);
        int applyMigrations = positive("bench.apply.migrations", 1000);
        Path output = Path.of(System.getProperty("bench.output", "target/bench-results.md"));

        TestPostgres server = TestPostgres.server();
        out.println("Database: " + server.description());
        Path scripts = Files.createTempDirectory("migrator-bench");
        try {
            out.printf("Startup benchmark: %d warm-up and %d measured rounds%n", startupWarmup, startupRounds);
            Result startup =
                    new StartupBenchmark(server, out).run(scripts, startupMigrations, startupWarmup, startupRounds);
            out.printf("Apply benchmark: %d warm-up and %d measured rounds%n", applyWarmup, applyRounds);
            Result apply = new ApplyBenchmark(server, out).run(scripts, applyMigrations, applyWarmup, applyRounds);
            String report = report(server, List.of(startup, apply));
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

    static String report(TestPostgres server, List<Result> results) {
        StringBuilder report = new StringBuilder("# migrator benchmarks\n\n");
        report.append("| benchmark | migrator (median ms) | peer (median ms) | ratio | target | pass/fail |\n");
        report.append("|---|---:|---:|---:|---:|---|\n");
        for (Result result : results) {
            report.append(String.format(
                    "| %s (peer: %s) | %.1f | %.1f | %.3f | <= %.2f | %s |%n",
                    result.name(),
                    result.peer(),
                    result.migrator().median(),
                    result.peerSamples().median(),
                    result.ratio(),
                    result.target(),
                    result.passed() ? "pass" : "FAIL"));
        }
        report.append('\n');
        report.append("- Database: ").append(server.description()).append('\n');
        Runtime runtime = Runtime.getRuntime();
        report.append(String.format(
                "- JVM: Java %s, %d processors, max heap %d MiB%n",
                Runtime.version(), runtime.availableProcessors(), runtime.maxMemory() / (1024 * 1024)));
        report.append("- Contenders interleaved round by round in one JVM, the first one alternating; medians of the")
                .append(" measured rounds.\n");
        for (Result result : results) {
            report.append(String.format(
                    "- %s: %d measured rounds each after %d warm-up; median of the per-round ratios %.3f;"
                            + " migrator %s ms (min %.0f, max %.0f); peer %s ms (min %.0f, max %.0f)%n",
                    result.name(),
                    result.migrator().size(),
                    result.warmup(),
                    result.migrator().medianRatioTo(result.peerSamples()),
                    result.migrator(),
                    result.migrator().min(),
                    result.migrator().max(),
                    result.peerSamples(),
                    result.peerSamples().min(),
                    result.peerSamples().max()));
        }
        for (Result result : results) {
            if (!result.passed()) {
                report.append(String.format(
                        "%nMissed target: %s: ratio %.3f is above %.2f.%n",
                        result.name(), result.ratio(), result.target()));
            }
        }
        return report.toString();
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
