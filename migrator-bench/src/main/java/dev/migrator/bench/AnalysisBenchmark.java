package dev.migrator.bench;

import dev.migrator.core.Migrator;
import dev.migrator.core.RunReport;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the change analysis costs: building a template of a real-world set (Marquez, 84 migrations),
 * which is what {@code @MigratorTest} does once per key: create an empty database, then migrate it.
 * The analysis on against the same build with it off, each on a fresh database; the migration alone
 * is reported too, as the stricter figure.
 */
final class AnalysisBenchmark {

    private final TestPostgres server;

    private final PrintStream out;

    AnalysisBenchmark(TestPostgres server, PrintStream out) {
        this.server = server;
        this.out = out;
    }

    List<Result> run(Path set, int warmup, int rounds) {
        if (!Files.isDirectory(set)) {
            throw new IllegalStateException("The Marquez set is not at '" + set.toAbsolutePath()
                    + "': set bench.analysis.set to its folder (shared/realworld/MarquezProject__marquez).");
        }
        String location = "filesystem:" + set.toAbsolutePath().normalize();
        Samples on = new Samples();
        Samples off = new Samples();
        Samples migrateOn = new Samples();
        Samples migrateOff = new Samples();
        for (int round = 1; round <= warmup + rounds; round++) {
            long[][] nanos = new long[2][];
            for (int turn = 0; turn < 2; turn++) {
                int contender = (round + turn) % 2;
                nanos[contender] = build(location, contender == 0);
            }
            boolean measured = round > warmup;
            if (measured) {
                on.add(nanos[0][0]);
                off.add(nanos[1][0]);
                migrateOn.add(nanos[0][1]);
                migrateOff.add(nanos[1][1]);
            }
            this.out.printf(
                    "  analysis %s %d/%d: analysis on %.0f ms (migrate %.0f), off %.0f ms (migrate %.0f)%n",
                    measured ? "round" : "warm-up",
                    measured ? round - warmup : round,
                    measured ? rounds : warmup,
                    nanos[0][0] / 1e6,
                    nanos[0][1] / 1e6,
                    nanos[1][0] / 1e6,
                    nanos[1][1] / 1e6);
        }
        return List.of(
                Result.time(
                        "Build a template of the Marquez set (84 migrations: create the database, migrate it)"
                                + " with the change analysis on",
                        "the same build with migrator.analysis.enabled=false",
                        on,
                        off,
                        warmup,
                        1.20),
                Result.time(
                        "Migrate the Marquez set (84 migrations) into an empty database with the change analysis on",
                        "the same migration with migrator.analysis.enabled=false",
                        migrateOn,
                        migrateOff,
                        warmup,
                        1.20));
    }

    /** Build once: the time of the whole build (creating the database, then migrating it) and of the migration. */
    private long[] build(String location, boolean analysis) {
        System.gc();
        long start = System.nanoTime();
        try (FreshDatabase database = this.server.createDatabase()) {
            long created = System.nanoTime();
            RunReport report = Migrator.configure(database.dataSource())
                    .schemaLocations(location)
                    .analysis(analysis)
                    .load()
                    .migrate();
            long end = System.nanoTime();
            if (report.schemaApplied().size() != 84) {
                throw new IllegalStateException(
                        "Marquez applied " + report.schemaApplied().size() + ", expected 84");
            }
            if (analysis == report.findings().isEmpty()) {
                throw new IllegalStateException(
                        "analysis " + analysis + " but " + report.findings().size() + " findings");
            }
            return new long[] {end - start, end - created};
        }
    }
}
