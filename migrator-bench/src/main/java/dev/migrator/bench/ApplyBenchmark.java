package dev.migrator.bench;

import dev.migrator.core.Migrator;
import dev.migrator.core.RunReport;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

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

    /**
     * Measure migrator against plain Flyway twice: with Flyway's defaults (a transactional lock, which
     * hangs on {@code CREATE INDEX CONCURRENTLY}) and with the session lock that migrator runs Flyway
     * with, so that the second ratio is migrator's own cost.
     */
    List<Result> run(Path scripts, int migrations, int warmup, int rounds) throws IOException {
        String location = MigrationScripts.write(scripts, "apply", migrations);
        Samples migrator = new Samples();
        Samples defaults = new Samples();
        Samples sessionLock = new Samples();
        for (int round = 1; round <= warmup + rounds; round++) {
            long[] nanos = new long[3];
            // Each contender goes first, second and third in turn.
            for (int turn = 0; turn < 3; turn++) {
                int contender = (round + turn) % 3;
                nanos[contender] = switch (contender) {
                    case 0 -> migrator(location, migrations);
                    case 1 -> flyway(location, migrations, true);
                    default -> flyway(location, migrations, false);
                };
            }
            boolean measured = round > warmup;
            if (measured) {
                migrator.add(nanos[0]);
                defaults.add(nanos[1]);
                sessionLock.add(nanos[2]);
            }
            this.out.printf(
                    "  apply %s %d/%d: migrator %.0f ms, Flyway %.0f ms, Flyway with the session lock %.0f ms%n",
                    measured ? "round" : "warm-up",
                    measured ? round - warmup : round,
                    measured ? rounds : warmup,
                    nanos[0] / 1e6,
                    nanos[1] / 1e6,
                    nanos[2] / 1e6);
        }
        String name = String.format("Apply %,d small schema migrations to an empty database", migrations);
        return List.of(
                Result.time(name, "plain Flyway (defaults: transactional lock)", migrator, defaults, warmup, 1.00),
                Result.time(
                        name,
                        "plain Flyway with the session lock migrator uses (transactional lock off)",
                        migrator,
                        sessionLock,
                        warmup,
                        1.00));
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
            // Its log is quiet while timing (logback.xml), its change analysis is not.
            if (report.schemaApplied().stream()
                    .allMatch(applied -> applied.findings().isEmpty())) {
                throw new IllegalStateException("migrator's change analysis reported nothing: it must be on");
            }
            return elapsed;
        }
    }

    private long flyway(String location, int migrations, boolean transactionalLock) {
        try (FreshDatabase database = this.server.createDatabase()) {
            DataSource dataSource = database.dataSource();
            System.gc();
            long start = System.nanoTime();
            FluentConfiguration configuration =
                    Flyway.configure().dataSource(dataSource).locations(location);
            if (!transactionalLock) {
                configuration
                        .getPluginRegister()
                        .getExact(PostgreSQLConfigurationExtension.class)
                        .setTransactionalLock(false);
            }
            MigrateResult result = configuration.load().migrate();
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
