package dev.migrator.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a run drives Flyway: Flyway's advisory lock taken once and held on the migration session for
 * the whole run (plain Flyway processes still wait for it, and it is released before the connection
 * goes back to a pool), the role reset after whatever may have changed it, and every other use of
 * Flyway in the JVM left as Flyway made it.
 */
class RunScopedFlywayIntegrationTests {

    /** Flyway's advisory lock key for {@code "public"."flyway_schema_history"}. */
    private static final long FLYWAY_KEY = (0x46L << 40)
            + (0x6CL << 32)
            + (0x79L << 24)
            + (0x77 << 16)
            + (0x61 << 8)
            + 0x79
            + "\"public\".\"flyway_schema_history\"".hashCode();

    private static final int POOL = 4;

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
    void flywaysLockIsHeldFromTheFirstMigrationToTheEndOfTheRunAndNoLonger() throws Exception {
        for (int i = 1; i <= 5; i++) {
            script("V" + i + "__step.sql", "CREATE TABLE step_" + i + " (id int); SELECT pg_sleep(0.1);");
        }
        CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(
                () -> migrator(this.database.dataSource()).load().migrate());
        try (Connection probe = this.database.dataSource().getConnection()) {
            awaitTable(probe, "step_1");
            // A plain Flyway process waiting for the same key: PostgreSQL hands a released lock to the
            // session waiting for it, so had the run released it between two migrations, this would get
            // it before the last migration is committed.
            single(probe, "SELECT pg_advisory_lock(" + FLYWAY_KEY + ")");
            boolean lastCommitted = tableExists(probe, "step_5");
            unlockFlywayLock(probe);

            assertThat(lastCommitted)
                    .as("the last migration was committed when another session got Flyway's lock")
                    .isTrue();
            assertThat(run.get(60, TimeUnit.SECONDS).schemaApplied()).hasSize(5);
            assertThat(tryFlywayLock(probe))
                    .as("Flyway's lock is free once the run ends")
                    .isTrue();
            unlockFlywayLock(probe);
        }
    }

    @Test
    void aRunWaitsForAPlainFlywayProcessHoldingTheLockAndThenApplies() throws Exception {
        script("V1__create_event.sql", "CREATE TABLE event (id int);");
        try (Connection holder = this.database.dataSource().getConnection()) {
            assertThat(tryFlywayLock(holder)).isTrue();
            CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(
                    () -> migrator(this.database.dataSource()).load().migrate());
            Thread.sleep(1500);
            assertThat(run).as("the run waits while Flyway's lock is taken").isNotDone();
            assertThat(count("SELECT count(*) FROM pg_tables WHERE tablename = 'event'"))
                    .isZero();
            unlockFlywayLock(holder);
            assertThat(run.get(60, TimeUnit.SECONDS).schemaApplied()).hasSize(1);
        }
    }

    @Test
    void aPooledConnectionGoesBackWithoutTheLockWithItsRoleAndSearchPath() throws Exception {
        String role = "owner_" + this.database.name();
        execute("CREATE ROLE " + role + " NOLOGIN");
        try {
            execute("GRANT " + role + " TO CURRENT_USER");
            execute("GRANT CREATE ON SCHEMA public TO " + role);
            execute("CREATE SCHEMA elsewhere");
            script("V1__as_owner.sql", "SET ROLE " + role + "; CREATE TABLE owned_by_role (id int);");
            script("V2__as_user.sql", "CREATE TABLE owned_by_user (id int); SET search_path TO elsewhere;");
            script("V3__in_public.sql", "CREATE TABLE in_public (id int);");
            // A callback that changes the role after every migration: the history row and the next
            // migration still run as the user Flyway connected as.
            script("afterEachMigrate.sql", "SET ROLE " + role + ";");
            String user = single("SELECT current_user");
            HikariConfig config = new HikariConfig();
            config.setDataSource(this.database.dataSource());
            config.setMaximumPoolSize(POOL);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                Migrator migrator = migrator(pool).load();
                assertThat(migrator.migrate().schemaApplied()).hasSize(3);

                // Every connection of the pool at once, so the one Flyway used is among them.
                List<Connection> connections = new ArrayList<>();
                try {
                    for (int i = 0; i < POOL; i++) {
                        connections.add(pool.getConnection());
                    }
                    for (Connection connection : connections) {
                        assertThat(single(connection, "SELECT current_user")).isEqualTo(user);
                        assertThat(single(connection, "SHOW search_path")).doesNotContain("elsewhere");
                        assertThat(single(
                                        connection,
                                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                                                + " AND pid = pg_backend_pid()"))
                                .as("advisory locks a pooled session still holds")
                                .isEqualTo("0");
                    }
                } finally {
                    for (Connection connection : connections) {
                        connection.close();
                    }
                }
            }
            assertThat(single("SELECT tableowner FROM pg_tables WHERE tablename = 'owned_by_role'"))
                    .isEqualTo(role);
            assertThat(single("SELECT tableowner FROM pg_tables WHERE tablename = 'owned_by_user'"))
                    .isEqualTo(user);
            assertThat(single("SELECT schemaname FROM pg_tables WHERE tablename = 'in_public'"))
                    .isEqualTo("public");
            assertThat(single("SELECT string_agg(DISTINCT installed_by, ',') FROM flyway_schema_history"))
                    .isEqualTo(user);
        } finally {
            execute("DROP OWNED BY " + role + " CASCADE");
            execute("DROP ROLE " + role);
        }
    }

    @Test
    void theRunHoldsFlywaysLockOnTheSessionThatMigratesWhilePlainFlywayKeepsItsOwnArrangement() throws Exception {
        script("V1__wait.sql", "SELECT pg_sleep(1.5);");

        CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(
                () -> migrator(this.database.dataSource()).load().migrate());
        Sessions duringRun = sessionsWhileSleeping();
        assertThat(run.get(60, TimeUnit.SECONDS).schemaApplied()).hasSize(1);
        assertThat(duringRun.lockHolder())
                .as("migrator's run: Flyway's lock on the migrating session")
                .isEqualTo(duringRun.migrating());

        try (FreshDatabase other = TestPostgres.server().createDatabase()) {
            CompletableFuture<MigrateResult> plain = CompletableFuture.supplyAsync(() -> Flyway.configure()
                    .dataSource(other.dataSource())
                    .locations("filesystem:" + this.migrations)
                    .load()
                    .migrate());
            Sessions duringPlain = sessionsWhileSleeping(other.dataSource());
            assertThat(plain.get(60, TimeUnit.SECONDS).migrationsExecuted).isEqualTo(1);
            assertThat(duringPlain.lockHolder())
                    .as("plain Flyway in the same JVM: its transactional lock on a second session")
                    .isNotEqualTo(duringPlain.migrating());
        }
    }

    /** The session running a migration's {@code pg_sleep} and the one holding Flyway's lock. */
    private record Sessions(String migrating, String lockHolder) {}

    private Sessions sessionsWhileSleeping() throws Exception {
        return sessionsWhileSleeping(this.database.dataSource());
    }

    private static Sessions sessionsWhileSleeping(DataSource dataSource) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection probe = dataSource.getConnection()) {
            while (true) {
                String migrating = single(
                        probe,
                        "SELECT coalesce(max(pid), 0) FROM pg_stat_activity WHERE datname = current_database()"
                                + " AND query LIKE 'SELECT pg_sleep(1.5)%' AND pid <> pg_backend_pid()");
                String holder = single(
                        probe,
                        "SELECT coalesce(max(pid), 0) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                                + " AND classid::bigint = " + (FLYWAY_KEY >>> 32)
                                + " AND objid::bigint = " + (FLYWAY_KEY & 0xFFFFFFFFL));
                if (!"0".equals(migrating) && !"0".equals(holder)) {
                    return new Sessions(migrating, holder);
                }
                assertThat(System.nanoTime())
                        .as("a migration sleeping within 30 s")
                        .isLessThan(deadline);
                Thread.sleep(10);
            }
        }
    }

    private MigratorConfiguration migrator(DataSource dataSource) {
        return Migrator.configure(dataSource).schemaLocations("filesystem:" + this.migrations);
    }

    private void script(String name, String sql) throws Exception {
        Files.writeString(this.migrations.resolve(name), sql);
    }

    private static boolean tryFlywayLock(Connection connection) throws SQLException {
        return "t".equals(single(connection, "SELECT pg_try_advisory_lock(" + FLYWAY_KEY + ")"));
    }

    private static void unlockFlywayLock(Connection connection) throws SQLException {
        single(connection, "SELECT pg_advisory_unlock(" + FLYWAY_KEY + ")");
    }

    private static boolean tableExists(Connection connection, String table) throws SQLException {
        return "1".equals(single(connection, "SELECT count(*) FROM pg_tables WHERE tablename = '" + table + "'"));
    }

    private static void awaitTable(Connection connection, String table) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!"1".equals(single(connection, "SELECT count(*) FROM pg_tables WHERE tablename = '" + table + "'"))) {
            assertThat(System.nanoTime()).as(table + " created within 30 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = this.database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private long count(String sql) throws SQLException {
        return Long.parseLong(single(sql));
    }

    private String single(String sql) throws SQLException {
        try (Connection connection = this.database.dataSource().getConnection()) {
            return single(connection, sql);
        }
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            // PostgreSQL's text form: booleans read as "t" and "f".
            return rs.getString(1);
        }
    }
}
