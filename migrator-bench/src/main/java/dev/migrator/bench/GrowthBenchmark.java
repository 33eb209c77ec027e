package dev.migrator.bench;

import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * How cost grows with the history: the apply, startup and endpoint benchmarks again, at several
 * sizes of history (100, 1,000 and 5,000 applied migrations by default), so that the report shows
 * the cost per migration of applying them and whether startup and the status stay flat.
 */
final class GrowthBenchmark {

    private final TestPostgres server;

    private final PrintStream out;

    GrowthBenchmark(TestPostgres server, PrintStream out) {
        this.server = server;
        this.out = out;
    }

    /** The results of one size of history. */
    record Size(int migrations, Result apply, Result startup, Result endpoint) {}

    /**
     * Run the three benchmarks at each size, smallest first (the smallest warms the JVM up).
     *
     * @param scripts where to write the scripts, one folder per size
     * @param sizes the numbers of migrations
     * @param rounds measured rounds of apply and startup per size
     * @param requests measured requests per contender and round of the endpoint
     * @return the results, size by size
     */
    List<Size> run(Path scripts, List<Integer> sizes, int rounds, int requests) throws IOException, SQLException {
        List<Size> results = new ArrayList<>();
        boolean first = true;
        for (int size : sizes) {
            Path folder = Files.createDirectories(scripts.resolve("growth-" + size));
            this.out.printf("Growth: %,d migrations%n", size);
            int warmup = first ? 1 : 0;
            // The first result is against Flyway's defaults, the second with the session lock.
            Result apply = new ApplyBenchmark(this.server, this.out)
                    .run(folder, size, warmup, rounds)
                    .get(0);
            Result startup = new StartupBenchmark(this.server, this.out).run(folder, size, first ? 5 : 2, rounds * 4);
            Result endpoint =
                    new EndpointBenchmark(this.server, this.out).run(folder, size, first ? 100 : 30, rounds, requests);
            results.add(new Size(size, apply, startup, endpoint));
            first = false;
        }
        return results;
    }

    /** The growth table, as Markdown. */
    static String table(List<Size> sizes) {
        StringBuilder table = new StringBuilder("\n## Growth with the history\n\n");
        table.append(
                "| applied | apply: migrator | apply: Flyway | per migration: migrator / Flyway"
                        + " | startup: migrator | startup: Boot's Flyway | GET /actuator/migrations | GET /actuator/flyway |\n");
        table.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Size size : sizes) {
            double migrator = size.apply().migrator().median();
            double flyway = size.apply().peerSamples().median();
            table.append(String.format(
                    "| %,d | %.0f ms | %.0f ms | %.2f / %.2f ms | %.1f ms | %.1f ms | %.2f ms | %.2f ms |%n",
                    size.migrations(),
                    migrator,
                    flyway,
                    migrator / size.migrations(),
                    flyway / size.migrations(),
                    size.startup().migrator().median(),
                    size.startup().peerSamples().median(),
                    size.endpoint().migrator().median(),
                    size.endpoint().peerSamples().median()));
        }
        table.append("\nApply: each contender on a fresh database (Flyway with its defaults). Startup: a non-web")
                .append(" application started on a database with that many schema migrations applied. GET: per")
                .append(" request, migrator with as many data migrations applied besides. Medians; the rows of the")
                .append(" main table above give the samples.\n");
        return table.toString();
    }
}
