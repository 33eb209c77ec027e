package dev.migrator.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schema migration and its history row commit together: the migration's session is terminated
 * while its COMMIT runs (a deferred trigger makes the commit slow), and afterwards the history does
 * not claim a migration the database does not have. Flyway on PostgreSQL keeps them in one session
 * only with its session lock, which migrator asks for; with its transactional lock it writes the
 * history on a second connection, and a process killed between the two commits leaves them apart.
 */
class SchemaHistoryAtomicityIntegrationTests {

    @TempDir
    Path migrations;

    private FreshDatabase database;

    @BeforeEach
    void createDatabase() {
        this.database = TestPostgres.server().createDatabase();
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void aMigrationWhoseSessionEndsDuringItsCommitIsNeitherAppliedNorRecorded() throws Exception {
        Files.writeString(this.migrations.resolve("V1__slow_commit.sql"), """
                CREATE TABLE marker (id int);
                CREATE FUNCTION pause() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  PERFORM pg_sleep(30);
                  RETURN NULL;
                END $$;
                CREATE CONSTRAINT TRIGGER pause_at_commit AFTER INSERT ON marker
                  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pause();
                INSERT INTO marker VALUES (1);
                """);
        Migrator migrator = Migrator.configure(this.database.dataSource())
                .schemaLocations("filesystem:" + this.migrations)
                .load();
        CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(migrator::migrate);
        int pid = awaitSessionSleepingInCommit();

        execute("SELECT pg_terminate_backend(" + pid + ")");

        assertThat(catchFailure(run)).isInstanceOf(MigrationFailedException.class);
        assertThat(count("SELECT count(*) FROM pg_tables WHERE tablename = 'marker'"))
                .as("the migration rolled back")
                .isZero();
        assertThat(count("SELECT count(*) FROM flyway_schema_history WHERE version = '1'"))
                .as("and is not recorded")
                .isZero();
    }

    private int awaitSessionSleepingInCommit() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() - deadline < 0) {
            long pid = count("SELECT coalesce(max(pid), 0) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event = 'PgSleep'");
            if (pid > 0) {
                return (int) pid;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the migration never reached its commit");
    }

    private static Throwable catchFailure(CompletableFuture<RunReport> run) throws Exception {
        try {
            run.get(60, TimeUnit.SECONDS);
            throw new AssertionError("expected the run to fail");
        } catch (ExecutionException ex) {
            return ex.getCause();
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = this.database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
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
