package dev.migrator.bench;

import dev.migrator.core.Migrator;
import dev.migrator.core.RunReport;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applying many small schema migrations to an empty database: migrator's core against plain Flyway
 * with its defaults, each on a fresh database.
 */
final class ApplyBenchmark {

    private final TestPostgres server;

    private final PrintStream out;

    ApplyBenchmark(TestPostgres server, PrintStream out) {
        this.server = server;
        this.out = out;
    }

    Result run(Path scripts, int migrations, int warmup, int rounds) throws IOException {
        String location = MigrationScripts.write(scripts, "apply", migrations);
        Samples migrator = new Samples();
        Samples peer = new Samples();
        for (int round = 1; round <= warmup + rounds; round++) {
            long migratorNanos;
            long peerNanos;
            if (round % 2 == 1) {
                migratorNanos = migrator(location, migrations);
                peerNanos = flyway(location, migrations);
            } else {
                peerNanos = flyway(location, migrations);
                migratorNanos = migrator(location, migrations);
            }
            boolean measured = round > warmup;
            if (measured) {
                migrator.add(migratorNanos);
                peer.add(peerNanos);
            }
            this.out.printf(
                    "  apply %s %d/%d: migrator %.0f ms, Flyway %.0f ms%n",
                    measured ? "round" : "warm-up",
                    measured ? round - warmup : round,
                    measured ? rounds : warmup,
                    migratorNanos / 1e6,
                    peerNanos / 1e6);
        }
        return Result.time(
                String.format("Apply %,d small schema migrations to an empty database", migrations),
                "plain Flyway (defaults)",
                migrator,
                peer,
                warmup,
                1.05);
    }

    private long migrator(String location, int migrations) {
        try (FreshDatabase database = this.server.createDatabase()) {
            DataSource dataSource = database.dataSource();
            System.gc();
            long start = System.nanoTime();
            RunReport report = Migrator.configure(dataSource)
                    .schemaLocations(location)
                    .load()
                    .migrate();
            long elapsed = System.nanoTime() - start;
            check("migrator", report.schemaApplied().size(), migrations);
            return elapsed;
        }
    }

    private long flyway(String location, int migrations) {
        try (FreshDatabase database = this.server.createDatabase()) {
            DataSource dataSource = database.dataSource();
            System.gc();
            long start = System.nanoTime();
            MigrateResult result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations(location)
                    .load()
                    .migrate();
            long elapsed = System.nanoTime() - start;
            check("Flyway", result.migrationsExecuted, migrations);
            return elapsed;
        }
    }

    private static void check(String contender, int applied, int expected) {
        if (applied != expected) {
            throw new IllegalStateException(
                    contender + " applied " + applied + " migrations to an empty database, expected " + expected);
        }
    }
}
