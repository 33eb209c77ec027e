package dev.migrator.core.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.migrator.core.Migrator;
import dev.migrator.core.RunReport;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.core.BaseConnection;

/**
 * Flyway's own statements stay prepared across the DDL of SQL migrations, and the driver's setting
 * comes back once the run ends; a migration that names the history table still has them prepared
 * again, so a change of the table's columns never meets a stale plan.
 */
class StatementCacheIntegrationTests {

    private static final int MIGRATIONS = 30;

    private static final int POOL = 4;

    @TempDir
    Path migrations;

    private FreshDatabase database;

    private HikariDataSource pool;

    @BeforeEach
    void createDatabase() {
        this.database = TestPostgres.server().createDatabase();
        HikariConfig config = new HikariConfig();
        config.setDataSource(this.database.dataSource());
        // The run's connections stay in the pool, so the test reads their server sessions afterwards.
        config.setMaximumPoolSize(POOL);
        config.setMinimumIdle(POOL);
        this.pool = new HikariDataSource(config);
    }

    @AfterEach
    void dropDatabase() {
        this.pool.close();
        this.database.close();
    }

    @Test
    void flywaysStatementsArePreparedOnceForARunOfDdlMigrations() throws Exception {
        for (int i = 1; i <= MIGRATIONS; i++) {
            Files.writeString(
                    this.migrations.resolve("V" + i + "__create_t" + i + ".sql"),
                    "CREATE TABLE t" + i + " (id int PRIMARY KEY);\nALTER TABLE t" + i + " ADD COLUMN name text;\n");
        }

        RunReport report = migrator().migrate();

        assertThat(report.schemaApplied()).hasSize(MIGRATIONS);
        List<Connection> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < POOL; i++) {
                sessions.add(this.pool.getConnection());
            }
            int highest = 0;
            for (Connection connection : sessions) {
                highest = Math.max(highest, highestDriverStatement(connection));
                assertThat(connection
                                .unwrap(BaseConnection.class)
                                .getQueryExecutor()
                                .isFlushCacheOnDdl())
                        .as("the driver forgets prepared statements on DDL again after the run")
                        .isTrue();
            }
            // The driver names its server-side statements S_1, S_2, ... in the order it prepares them.
            // Prepared again after every migration, Flyway's half dozen statements alone would pass 150.
            assertThat(highest)
                    .as("statements the driver prepared on the run's sessions")
                    .isBetween(1, 60);
        } finally {
            for (Connection connection : sessions) {
                connection.close();
            }
        }
    }

    @Test
    void aMigrationThatChangesTheHistoryTableHasFlywaysStatementsPreparedAgain() throws Exception {
        // Enough migrations first for the driver to prepare Flyway's statements on the server.
        for (int i = 1; i <= 8; i++) {
            Files.writeString(
                    this.migrations.resolve("V" + i + "__create_t" + i + ".sql"),
                    "CREATE TABLE t" + i + " (id int);\n");
        }
        Files.writeString(
                this.migrations.resolve("V9__widen_history.sql"),
                "ALTER TABLE flyway_schema_history ALTER COLUMN description TYPE text;\n");
        Files.writeString(this.migrations.resolve("V10__create_b.sql"), "CREATE TABLE b (id int);\n");
        Files.writeString(this.migrations.resolve("V11__create_c.sql"), "CREATE TABLE c (id int);\n");

        RunReport report = migrator().migrate();

        assertThat(report.schemaApplied()).hasSize(11);
        try (Connection connection = this.pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT string_agg(version, ',' ORDER BY installed_rank) FROM flyway_schema_history")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("1,2,3,4,5,6,7,8,9,10,11");
        }
    }

    private Migrator migrator() {
        return Migrator.configure(this.pool)
                .schemaLocations("filesystem:" + this.migrations)
                .load();
    }

    private static int highestDriverStatement(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT coalesce(max(substr(name, 3)::int), 0)"
                        + " FROM pg_prepared_statements WHERE name ~ '^S_[0-9]+$'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
