package dev.migrator.core.internal.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.analysis.Observation;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The change analysis of a long run of migrations, one after the other on one connection. */
class AnalysisSessionIntegrationTests {

    @Test
    void theQueryAfterEachMigrationFindsTheChangedTablesByIndexHoweverTheCatalogGrows() throws Exception {
        try (FreshDatabase database = TestPostgres.server().createDatabase();
                Connection connection = database.dataSource().getConnection();
                Analyzer.Session session = new Analyzer.Session(false)) {
            connection.setAutoCommit(false);
            for (int i = 0; i < 300; i++) {
                migrate(
                        session,
                        connection,
                        "CREATE TABLE parent_" + i + " (id int PRIMARY KEY, name text UNIQUE, note text)");
            }

            // Planned for the empty database by cost, the query would read pg_index and pg_constraint
            // whole after every migration, a cost that grows with each table added.
            String plan = plan(connection, "EXPLAIN EXECUTE " + CatalogSnapshot.TOUCHED_NAME);
            assertThat(plan)
                    .as("the plan of the query after each migration, 300 tables in")
                    .doesNotContain("Seq Scan on pg_index")
                    .doesNotContain("Seq Scan on pg_constraint");

            assertThat(plan(
                            connection,
                            "SELECT current_setting('enable_seqscan') || current_setting('enable_hashjoin')"
                                    + " || current_setting('enable_mergejoin')"))
                    .as("the session's planner settings after the query was planned")
                    .isEqualTo("ononon\n");

            Observation change = migrate(session, connection, "ALTER TABLE parent_7 ALTER COLUMN note SET NOT NULL");
            assertThat(change.locks())
                    .containsExactly(new Observation.TableLock("public.parent_7", "AccessExclusiveLock"));
            assertThat(change.findings())
                    .extracting(finding -> finding.rule().id())
                    .contains("not-null-added");
        }
    }

    private static Observation migrate(Analyzer.Session session, Connection connection, String sql)
            throws SQLException {
        Analyzer.Before before = session.before(connection, Map.of(), null, true);
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        Observation observed = session.observe(before, connection, "V__step.sql");
        connection.commit();
        return observed;
    }

    private static String plan(Connection connection, String sql) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        connection.commit();
        return plan.toString();
    }
}
