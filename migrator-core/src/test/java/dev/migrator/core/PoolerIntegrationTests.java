package dev.migrator.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.migrator.acceptance.PgBouncer;
import dev.migrator.core.data.D2__CountEachItemOnce;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrator behind a real PgBouncer: in transaction mode a session advisory lock does not stay with
 * the client that took it, so migrator refuses before any work; in session mode it works.
 */
class PoolerIntegrationTests {

    @TempDir
    Path migrations;

    private FreshDatabase database;

    @BeforeAll
    static void pgbouncerInstalled() {
        assumeTrue(PgBouncer.available(), "PgBouncer is not installed (.ci/run installs the pgbouncer package)");
    }

    @BeforeEach
    void createDatabase() throws Exception {
        this.database = TestPostgres.server().createDatabase();
        Files.writeString(
                this.migrations.resolve("V1__create_item.sql"),
                "CREATE TABLE item (id bigint PRIMARY KEY, counter int NOT NULL DEFAULT 0);"
                        + " INSERT INTO item (id) SELECT generate_series(1, 50);");
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void transactionPoolingIsRefusedBeforeAnyWorkWithAMessageNamingTheFix() throws Exception {
        try (PgBouncer bouncer = PgBouncer.start(this.database, "transaction")) {
            Migrator migrator = migrator(bouncer).load();

            assertThatExceptionOfType(MigrationFailedException.class)
                    .isThrownBy(migrator::migrate)
                    .satisfies(ex -> {
                        assertThat(ex.code()).isEqualTo(ErrorCode.UNSUPPORTED_CONNECTION);
                        assertThat(ex.getMessage())
                                .contains("cannot hold a session lock")
                                .contains("connection pooler in transaction mode")
                                .contains("Migrator did no work")
                                .contains("session-mode pool");
                        assertThat(ex.report().schemaApplied()).isEmpty();
                    });
        }
        assertThat(count("SELECT count(*) FROM pg_tables WHERE tablename IN ('flyway_schema_history', 'item')"))
                .as("nothing ran")
                .isZero();
        assertThat(count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"))
                .as("no lock left behind on a pooled server connection")
                .isZero();
    }

    @Test
    void sessionPoolingWorks() throws Exception {
        try (PgBouncer bouncer = PgBouncer.start(this.database, "session")) {
            RunReport report = migrator(bouncer).load().migrate();

            assertThat(report.schemaApplied()).hasSize(1);
            assertThat(report.dataApplied()).hasSize(1);
        }
        assertThat(count("SELECT count(*) FROM item WHERE counter = 1")).isEqualTo(50);
        assertThat(count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"))
                .isZero();
    }

    private MigratorConfiguration migrator(PgBouncer bouncer) {
        return Migrator.configure(bouncer.dataSource())
                .schemaLocations("filesystem:" + this.migrations)
                .dataMigrations(List.of(new D2__CountEachItemOnce()));
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = this.database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
