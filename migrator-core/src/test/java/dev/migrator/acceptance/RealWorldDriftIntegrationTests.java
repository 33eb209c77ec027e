package dev.migrator.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.DataOrdering;
import dev.migrator.core.DriftReport;
import dev.migrator.core.Migrator;
import dev.migrator.core.MigratorConfiguration;
import dev.migrator.core.internal.catalog.Catalog;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Drift on the real-world sets: a database that only the set's migrations touched has no drift
 * (enums made in DO blocks, generated columns, procedures, repeatables, partial indexes and data
 * migrations included), and the catalog compared is the whole of it. Analysis is off: it is not what
 * is tested here, and the sets build twice each.
 */
class RealWorldDriftIntegrationTests {

    @Test
    void marquez() {
        Path folder = RealWorldSets.assumePresent("MarquezProject__marquez");
        assertNoDrift("marquez", ds -> Migrator.configure(ds).schemaLocations("filesystem:" + folder), 400);
    }

    @Test
    void conductor() {
        Path folder = RealWorldSets.assumePresent("conductor-oss__conductor");
        assertNoDrift(
                "conductor",
                ds -> Migrator.configure(ds)
                        .schemaLocations(
                                "filesystem:" + folder.resolve("migration_postgres"),
                                "filesystem:" + folder.resolve("migration_postgres_data"))
                        .outOfOrder(true),
                100);
    }

    @Test
    void kestra() {
        Path folder = RealWorldSets.assumePresent("kestra-io__kestra");
        assertNoDrift(
                "kestra",
                ds -> Migrator.configure(ds)
                        .schemaLocations("filesystem:" + folder)
                        .outOfOrder(true),
                100);
    }

    @Test
    void opalFines() {
        Path folder = RealWorldSets.assumePresent("hmcts__opal-fines-service");
        assertNoDrift(
                "opal",
                ds -> Migrator.configure(ds)
                        .schemaLocations("filesystem:" + folder.resolve("ddl"))
                        .dataLocations(
                                "filesystem:" + folder.resolve("data/allEnvs"),
                                "filesystem:" + folder.resolve("data/nle"))
                        .dataPrefix("V")
                        .dataOrdering(DataOrdering.BY_VERSION),
                400);
    }

    private static void assertNoDrift(
            String set, Function<DataSource, MigratorConfiguration> configuration, int atLeastEntries) {
        try (FreshDatabase live = TestPostgres.server().createDatabase();
                FreshDatabase scratch = TestPostgres.server().createDatabase()) {
            Migrator migrator =
                    configuration.apply(live.dataSource()).analysis(false).load();
            migrator.migrate();
            long started = System.nanoTime();

            DriftReport report = migrator.drift(scratch.dataSource());

            System.out.println("DRIFT | " + set + " | " + report.differences().size() + " difference(s) in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
            assertThat(report.differences()).isEmpty();
            assertThat(report.schemaVersion()).isPresent();
            assertThat(entries(live.dataSource(), migrator))
                    .as("the catalog compared is the whole set's")
                    .hasSizeGreaterThan(atLeastEntries);
        }
    }

    private static List<Catalog.Entry> entries(DataSource dataSource, Migrator migrator) {
        try (Connection connection = dataSource.getConnection()) {
            return Catalog.read(connection, Catalog.Scope.of(migrator.settings()));
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
