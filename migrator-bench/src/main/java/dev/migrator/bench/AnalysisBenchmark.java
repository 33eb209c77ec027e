package dev.migrator.bench;

import dev.migrator.core.Migrator;
import dev.migrator.core.RunReport;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the change analysis costs: building a template of a real-world set (Marquez, 84 migrations,
 * what {@code @MigratorTest} does once per key) with the analysis on, against the same build with it
 * off, each on a fresh database.
 */
final class AnalysisBenchmark {

    private final TestPostgres server;

    private final PrintStream out;

    AnalysisBenchmark(TestPostgres server, PrintStream out) {
        this.server = server;
        this.out = out;
    }

    Result run(Path set, int warmup, int rounds) {
        if (!Files.isDirectory(set)) {
            throw new IllegalStateException("The Marquez set is not at '" + set.toAbsolutePath()
                    + "': set bench.analysis.set to its folder (shared/realworld/MarquezProject__marquez).");
        }
        String location = "filesystem:" + set.toAbsolutePath().normalize();
        Samples on = new Samples();
        Samples off = new Samples();
        int migrations = -1;
        for (int round = 1; round <= warmup + rounds; round++) {
            long[] nanos = new long[2];
            for (int turn = 0; turn < 2; turn++) {
                int contender = (round + turn) % 2;
                nanos[contender] = build(location, contender == 0);
            }
            boolean measured = round > warmup;
            if (measured) {
                on.add(nanos[0]);
                off.add(nanos[1]);
            }
            this.out.printf(
                    "  analysis %s %d/%d: analysis on %.0f ms, off %.0f ms%n",
                    measured ? "round" : "warm-up",
                    measured ? round - warmup : round,
                    measured ? rounds : warmup,
                    nanos[0] / 1e6,
                    nanos[1] / 1e6);
        }
        return Result.time(
                "Build a template of the Marquez set (84 migrations) with the change analysis on",
                "the same build with migrator.analysis.enabled=false",
                on,
                off,
                warmup,
                1.20);
    }

    private long build(String location, boolean analysis) {
        try (FreshDatabase database = this.server.createDatabase()) {
            System.gc();
            long start = System.nanoTime();
            RunReport report = Migrator.configure(database.dataSource())
                    .schemaLocations(location)
                    .analysis(analysis)
                    .load()
                    .migrate();
            long elapsed = System.nanoTime() - start;
            if (report.schemaApplied().size() != 84) {
                throw new IllegalStateException(
                        "Marquez applied " + report.schemaApplied().size() + ", expected 84");
            }
            if (analysis == report.findings().isEmpty()) {
                throw new IllegalStateException(
                        "analysis " + analysis + " but " + report.findings().size() + " findings");
            }
            return elapsed;
        }
    }
}
