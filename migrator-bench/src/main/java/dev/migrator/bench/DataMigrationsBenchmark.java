package dev.migrator.bench;

import dev.migrator.core.Migrator;
import dev.migrator.core.RunReport;
import dev.migrator.test.postgres.CountingDataSource;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applying many small data migrations in SQL to a new database: migrator's data track against the
 * same scripts run by plain Flyway, with its defaults, as schema migrations. Both first apply the
 * one schema migration that creates the tables, each on a fresh database, and must leave the same
 * rows behind.
 */
final class DataMigrationsBenchmark {

    /** The content of the tables, to check that both contenders did the same work. */
    private static final String FINGERPRINT = "SELECT md5(string_agg(r, E'\\n' ORDER BY r)) FROM ("
            + "SELECT format('product %s %s %s %s %s', id, sku, name, price, active) AS r FROM product"
            + " UNION ALL SELECT format('tag %s %s', product_id, tag) FROM product_tag"
            + " UNION ALL SELECT format('setting %s %s', key, value) FROM setting) AS t";

    private final TestPostgres server;

    private final PrintStream out;

    DataMigrationsBenchmark(TestPostgres server, PrintStream out) {
        this.server = server;
        this.out = out;
    }

    Result run(Path scripts, int migrations, int warmup, int rounds) throws IOException, SQLException {
        DataMigrationScripts.Locations locations = DataMigrationScripts.write(scripts, "data", migrations);
        Samples migrator = new Samples();
        Samples peer = new Samples();
        Samples migratorConnecting = new Samples();
        Samples peerConnecting = new Samples();
        long migratorConnections = 0;
        long peerConnections = 0;
        for (int round = 1; round <= warmup + rounds; round++) {
            Applied migratorRun;
            Applied peerRun;
            if (round % 2 == 1) {
                migratorRun = migrator(locations, migrations);
                peerRun = flyway(locations, migrations);
            } else {
                peerRun = flyway(locations, migrations);
                migratorRun = migrator(locations, migrations);
            }
            if (!migratorRun.fingerprint().equals(peerRun.fingerprint())) {
                throw new IllegalStateException("migrator and Flyway left different rows (fingerprints "
                        + migratorRun.fingerprint() + " and " + peerRun.fingerprint() + ")");
            }
            boolean measured = round > warmup;
            if (measured) {
                migrator.add(migratorRun.nanos());
                peer.add(peerRun.nanos());
                migratorConnecting.add(migratorRun.connectingNanos());
                peerConnecting.add(peerRun.connectingNanos());
                migratorConnections = migratorRun.connections();
                peerConnections = peerRun.connections();
            }
            this.out.printf(
                    "  data %s %d/%d: migrator %.0f ms, Flyway %.0f ms%n",
                    measured ? "round" : "warm-up",
                    measured ? round - warmup : round,
                    measured ? rounds : warmup,
                    migratorRun.nanos() / 1e6,
                    peerRun.nanos() / 1e6);
        }
        String note = String.format(
                "Data migrations: connections opened per run (non-pooling data source): migrator %,d, median %.0f ms"
                        + " of its %.0f ms in getConnection; Flyway %,d, median %.0f ms of its %.0f ms.",
                migratorConnections,
                migratorConnecting.median(),
                migrator.median(),
                peerConnections,
                peerConnecting.median(),
                peer.median());
        return new Result(
                String.format("Apply %,d small data migrations in SQL after 1 schema migration", migrations),
                "plain Flyway (defaults), the same scripts as schema migrations",
                migrator,
                peer,
                warmup,
                "round",
                Result.Comparison.TIME,
                1.0,
                List.of(note));
    }

    private record Applied(long nanos, long connections, long connectingNanos, String fingerprint) {}

    private Applied migrator(DataMigrationScripts.Locations locations, int migrations) throws SQLException {
        try (FreshDatabase database = this.server.createDatabase()) {
            CountingDataSource dataSource = new CountingDataSource(database.dataSource());
            System.gc();
            long start = System.nanoTime();
            RunReport report = Migrator.configure(dataSource)
                    .schemaLocations(locations.schema())
                    .dataLocations(locations.data())
                    .load()
                    .migrate();
            long elapsed = System.nanoTime() - start;
            check("migrator's schema track", report.schemaApplied().size(), 1);
            check("migrator's data track", report.dataApplied().size(), migrations);
            return new Applied(
                    elapsed,
                    dataSource.connections(),
                    dataSource.nanos(),
                    Jdbc.queryString(database.dataSource(), FINGERPRINT));
        }
    }

    private Applied flyway(DataMigrationScripts.Locations locations, int migrations) throws SQLException {
        try (FreshDatabase database = this.server.createDatabase()) {
            CountingDataSource dataSource = new CountingDataSource(database.dataSource());
            System.gc();
            long start = System.nanoTime();
            MigrateResult result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations(locations.schema(), locations.flyway())
                    .load()
                    .migrate();
            long elapsed = System.nanoTime() - start;
            check("Flyway", result.migrationsExecuted, migrations + 1);
            return new Applied(
                    elapsed,
                    dataSource.connections(),
                    dataSource.nanos(),
                    Jdbc.queryString(database.dataSource(), FINGERPRINT));
        }
    }

    private static void check(String contender, int applied, int expected) {
        if (applied != expected) {
            throw new IllegalStateException(
                    contender + " applied " + applied + " migrations to an empty database, expected " + expected);
        }
    }
}
