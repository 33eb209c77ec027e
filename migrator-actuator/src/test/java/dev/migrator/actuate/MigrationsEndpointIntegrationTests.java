package dev.migrator.actuate;

import static dev.migrator.actuate.RunningApplication.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.migrator.autoconfigure.operations.MigratorOperations;
import dev.migrator.core.Migrator;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.web.servlet.client.assertj.RestTestClientResponse;

/** {@code /actuator/migrations} over HTTP, in a real application against a real PostgreSQL. */
class MigrationsEndpointIntegrationTests {

    private static final String UNRESTRICTED = "management.endpoint.migrations.access=unrestricted";

    private static final String AUTO_RUN_OFF = "migrator.auto-run=false";

    @TempDir
    Path migrations;

    private FreshDatabase database;

    @BeforeEach
    void setUp() {
        this.database = TestPostgres.server().createDatabase();
        script(
                this.migrations,
                "schema/V1__create_customer.sql",
                "CREATE TABLE customer (id bigint PRIMARY KEY, email text);");
        script(this.migrations, "schema/V2__add_domain.sql", "ALTER TABLE customer ADD COLUMN domain text;");
        script(
                this.migrations,
                "data/D1__seed_customers.sql",
                "INSERT INTO customer (id, email) VALUES (1, 'ada@example.com'), (2, 'alan@example.org');");
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void getDescribesPendingWorkWhenAutoRunIsOff() {
        try (RunningApplication app = start(AUTO_RUN_OFF)) {
            RestTestClientResponse response = app.get("/actuator/migrations");

            System.out.println("GET /actuator/migrations -> " + app.body(response));
            assertThat(response)
                    .hasStatusOk()
                    .hasContentTypeCompatibleWith("application/vnd.spring-boot.actuator.v3+json");
            assertThat(response).bodyJson().extractingPath("$.status").isEqualTo("PENDING");
            assertThat(response).bodyJson().extractingPath("$.autoRun").isEqualTo(false);
            assertThat(response).bodyJson().extractingPath("$.schema.target").isEqualTo("latest");
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$.schema.pending[*].version")
                    .asArray()
                    .containsExactly("1", "2");
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$.data.pending[*].script")
                    .asArray()
                    .containsExactly("D1__seed_customers.sql");
            assertThat(response).bodyJson().extractingPath("$.lock.held").isEqualTo(false);
            assertThat(response).bodyJson().doesNotHavePath("$.lastRun");
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$.checks[*].name")
                    .asArray()
                    .contains("checksums-valid", "schema-at-target");
        }
    }

    @Test
    void historyListsAppliedMigrationsOfBothTracksAsOneTimeline() {
        try (RunningApplication app = start()) {
            RestTestClientResponse response = app.get("/actuator/migrations/history");

            assertThat(response).hasStatusOk();
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$[*].track")
                    .asArray()
                    .containsExactly("SCHEMA", "SCHEMA", "DATA");
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$[*].script")
                    .asArray()
                    .containsExactly("V1__create_customer.sql", "V2__add_domain.sql", "D1__seed_customers.sql");
            assertThat(response).bodyJson().extractingPath("$[2].rowsAffected").isEqualTo(2);
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$[*].success")
                    .asArray()
                    .containsOnly(true);
        }
    }

    @Test
    void previewShowsTheSqlThatARunWouldApplyWithPasswordsMasked() {
        script(this.migrations, "schema/V3__app_role.sql", "ALTER ROLE CURRENT_USER PASSWORD 'hunter2';");
        try (RunningApplication app = start(AUTO_RUN_OFF)) {
            RestTestClientResponse response = app.get("/actuator/migrations/preview");

            assertThat(response).hasStatusOk();
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$[*].script")
                    .asArray()
                    .containsExactly(
                            "V1__create_customer.sql",
                            "V2__add_domain.sql",
                            "V3__app_role.sql",
                            "D1__seed_customers.sql");
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$[0].sql")
                    .asString()
                    .contains("CREATE TABLE customer");
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$[2].sql")
                    .asString()
                    .contains("PASSWORD '******'");
            assertThat(app.body(response)).doesNotContain("hunter2");
            assertThat(tableExists("customer")).isFalse();
        }
    }

    @Test
    void previewShowsTheStaticFindingsOfEachPendingMigration() {
        script(this.migrations, "schema/V3__clear.sql", "DELETE FROM customer;");
        try (RunningApplication app = start(AUTO_RUN_OFF)) {
            RestTestClientResponse response = app.get("/actuator/migrations/preview");

            assertThat(response)
                    .bodyJson()
                    .extractingPath("$[2].findings[0].rule")
                    .isEqualTo("dml-without-where");
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$[2].findings[0].safeForm")
                    .asString()
                    .contains("WHERE");
        }
    }

    @Test
    void postRehearseRunsThePendingMigrationsAndRollsThemBack() {
        try (RunningApplication app = start(AUTO_RUN_OFF, UNRESTRICTED)) {
            RestTestClientResponse response = app.post("/actuator/migrations/rehearse");

            System.out.println("POST /actuator/migrations/rehearse -> " + app.body(response));
            assertThat(response).hasStatusOk();
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$.rehearsal.succeeded")
                    .isEqualTo(true);
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$.rehearsal.rehearsed[*].script")
                    .asArray()
                    .containsExactly("V1__create_customer.sql", "V2__add_domain.sql", "D1__seed_customers.sql");
            assertThat(tableExists("customer")).as("rolled back").isFalse();
            assertThat(app.get("/actuator/migrations"))
                    .bodyJson()
                    .extractingPath("$.status")
                    .isEqualTo("PENDING");
        }
    }

    @Test
    void postUndoReturnsTheNamedTracksToTheirTargets() {
        script(this.migrations, "schema/U2__add_domain.sql", "ALTER TABLE customer DROP COLUMN domain;");
        script(this.migrations, "data/U1__seed_customers.sql", "DELETE FROM customer WHERE id IN (1, 2);");
        try (RunningApplication app = start(UNRESTRICTED)) {
            assertThat(app.post("/actuator/migrations/undo", "{}"))
                    .as("no target: refused")
                    .hasStatus(400)
                    .bodyJson()
                    .extractingPath("$.error")
                    .asString()
                    .contains("undo never undoes everything by default");

            RestTestClientResponse response =
                    app.post("/actuator/migrations/undo", "{\"schemaTarget\": \"1\", \"dataTarget\": \"0\"}");

            System.out.println("POST /actuator/migrations/undo -> " + app.body(response));
            assertThat(response).hasStatusOk();
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$.undo.undone[*].undo")
                    .asArray()
                    .containsExactly("U1__seed_customers.sql", "U2__add_domain.sql");
            assertThat(columnExists("customer", "domain")).isFalse();
            assertThat(app.get("/actuator/migrations"))
                    .bodyJson()
                    .extractingPath("$.status")
                    .isEqualTo("PENDING");

            assertThat(app.post("/actuator/migrations/undo", "{\"schemaTarget\": \"0\"}"))
                    .as("V1 has no undo: refused before anything runs")
                    .hasStatus(400)
                    .bodyJson()
                    .extractingPath("$.error")
                    .asString()
                    .contains("'V1__create_customer.sql' has no undo script 'U1__create_customer.sql'");
            assertThat(tableExists("customer")).isTrue();
        }
    }

    @Test
    void postUndoNeedsUnrestrictedAccess() {
        try (RunningApplication app = start()) {
            assertThat(app.post("/actuator/migrations/undo", "{\"schemaTarget\": \"1\"}"))
                    .hasStatus(405);
            assertThat(columnExists("customer", "domain")).isTrue();
        }
    }

    @Test
    void postDriftChecksTheDatabaseAndGetShowsTheLastCheck() {
        try (RunningApplication app = start(UNRESTRICTED)) {
            assertThat(app.get("/actuator/migrations"))
                    .as("no drift check was run yet")
                    .bodyJson()
                    .doesNotHavePath("$.drift");
            execute("CREATE INDEX customer_email_by_hand ON customer (email)");

            RestTestClientResponse response = app.post("/actuator/migrations/drift");

            System.out.println("POST /actuator/migrations/drift -> " + app.body(response));
            assertThat(response).hasStatusOk();
            assertThat(response).bodyJson().extractingPath("$.drift.drifted").isEqualTo(true);
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$.drift.differences[*].name")
                    .asArray()
                    .containsExactly("public.customer_email_by_hand");
            RestTestClientResponse get = app.get("/actuator/migrations");
            System.out.println("GET /actuator/migrations -> " + app.body(get));
            assertThat(get).bodyJson().extractingPath("$.drift.schemaVersion").isEqualTo("2");
            assertThat(get)
                    .bodyJson()
                    .extractingPath("$.drift.differences[0].description")
                    .isEqualTo("index public.customer_email_by_hand only in the live database: CREATE INDEX"
                            + " customer_email_by_hand ON public.customer USING btree (email)");

            execute("DROP INDEX customer_email_by_hand");
            assertThat(app.post("/actuator/migrations/drift"))
                    .bodyJson()
                    .extractingPath("$.drift.drifted")
                    .isEqualTo(false);
            assertThat(app.get("/actuator/migrations"))
                    .as("the last check replaces the one before")
                    .bodyJson()
                    .extractingPath("$.drift.differences")
                    .asArray()
                    .isEmpty();
        }
    }

    @Test
    void postDriftNeedsUnrestrictedAccess() {
        try (RunningApplication app = start()) {
            assertThat(app.post("/actuator/migrations/drift")).hasStatus(405);
            assertThat(app.get("/actuator/migrations")).bodyJson().doesNotHavePath("$.drift");
        }
    }

    @Test
    void postRehearseNeedsUnrestrictedAccess() {
        try (RunningApplication app = start(AUTO_RUN_OFF)) {
            assertThat(app.post("/actuator/migrations/rehearse")).hasStatus(405);
        }
    }

    @Test
    void unknownDetailIsNotFound() {
        try (RunningApplication app = start()) {
            assertThat(app.get("/actuator/migrations/status")).hasStatus(404);
        }
    }

    @Test
    void postIsMethodNotAllowedWithTheDefaultReadOnlyAccess() {
        try (RunningApplication app = start(AUTO_RUN_OFF)) {
            assertThat(app.post("/actuator/migrations", "{}")).hasStatus(405);
            assertThat(tableExists("customer")).isFalse();
        }
    }

    @Test
    void postWithUnrestrictedAccessMigratesAndAnswersTheRunReport() {
        try (RunningApplication app = start(AUTO_RUN_OFF, UNRESTRICTED)) {
            RestTestClientResponse response = app.post("/actuator/migrations", "{}");

            System.out.println("POST /actuator/migrations -> " + app.body(response));
            assertThat(response).hasStatusOk();
            assertThat(response).bodyJson().extractingPath("$.run.trigger").isEqualTo("endpoint");
            assertThat(response).bodyJson().extractingPath("$.run.outcome").isEqualTo("SUCCESS");
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$.run.schemaApplied[*].version")
                    .asArray()
                    .containsExactly("1", "2");
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$.run.dataApplied[*].version")
                    .asArray()
                    .containsExactly("1");
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$.checks[*].status")
                    .asArray()
                    .isNotEmpty()
                    .containsOnly("PASSED");
            assertThat(response).bodyJson().doesNotHavePath("$.error");

            RestTestClientResponse after = app.get("/actuator/migrations");
            assertThat(after).bodyJson().extractingPath("$.status").isEqualTo("UP_TO_DATE");
            assertThat(after).bodyJson().extractingPath("$.schema.current").isEqualTo("2");
            assertThat(after).bodyJson().extractingPath("$.data.current").isEqualTo("1");
            assertThat(after).bodyJson().extractingPath("$.lastRun.trigger").isEqualTo("endpoint");
        }
    }

    @Test
    void postWithoutBodyMigratesToTheConfiguredTargets() {
        try (RunningApplication app = start(AUTO_RUN_OFF, UNRESTRICTED)) {
            RestTestClientResponse response = app.post("/actuator/migrations");

            assertThat(response).hasStatusOk();
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$.run.schemaApplied")
                    .asArray()
                    .hasSize(2);
        }
    }

    @Test
    void postWithATargetStopsThere() {
        try (RunningApplication app = start(AUTO_RUN_OFF, UNRESTRICTED)) {
            RestTestClientResponse response = app.post("/actuator/migrations", "{\"schemaTarget\": \"1\"}");

            assertThat(response).hasStatusOk();
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$.run.schemaApplied[*].version")
                    .asArray()
                    .containsExactly("1");
            assertThat(app.get("/actuator/migrations"))
                    .bodyJson()
                    .extractingPath("$.schema.pending[*].version")
                    .asArray()
                    .containsExactly("2");
        }
    }

    @Test
    void postWithAMalformedTargetIsABadRequestAndRunsNothing() {
        try (RunningApplication app = start(AUTO_RUN_OFF, UNRESTRICTED)) {
            RestTestClientResponse response = app.post("/actuator/migrations", "{\"dataTarget\": \"two\"}");

            assertThat(response).hasStatus(400);
            assertThat(response).bodyJson().extractingPath("$.error").asString().contains("'two'");
            assertThat(response).bodyJson().doesNotHavePath("$.run");
            assertThat(tableExists("customer")).isFalse();
            assertThat(app.get("/actuator/migrations")).bodyJson().doesNotHavePath("$.lastRun");
        }
    }

    @Test
    void postWithATargetThatNamesNoMigrationIsABadRequest() {
        try (RunningApplication app = start(AUTO_RUN_OFF, UNRESTRICTED)) {
            RestTestClientResponse response = app.post("/actuator/migrations", "{\"schemaTarget\": \"7\"}");

            assertThat(response).hasStatus(400);
            assertThat(response).bodyJson().extractingPath("$.error").asString().contains("'7'");
            assertThat(tableExists("customer")).isFalse();
        }
    }

    @Test
    void postWhileAnotherRunHoldsTheLockIsAConflictAndLeavesNoFailedRun() throws Exception {
        script(this.migrations, "slow/V1__slow.sql", "SELECT pg_sleep(60);");
        try (RunningApplication app = start(AUTO_RUN_OFF, UNRESTRICTED)) {
            // Another instance: same lock (same data history table), its own schema history.
            Migrator other = Migrator.configure(this.database.dataSource())
                    .schemaLocations("filesystem:" + this.migrations.resolve("slow"))
                    .schemaTable("other_schema_history")
                    .dataEnabled(false)
                    .load();
            CompletableFuture<?> otherRun = CompletableFuture.runAsync(other::migrate);
            Migrator migrator = app.context().getBean(MigratorOperations.class).migrator();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> migrator.lockHolder().isPresent());
            try {
                long start = System.nanoTime();
                RestTestClientResponse response = app.post("/actuator/migrations", "{}");

                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .isGreaterThanOrEqualTo(MigrationsEndpoint.DEFAULT_LOCK_WAIT_TIMEOUT)
                        .isLessThan(Duration.ofSeconds(30));
                assertThat(response).hasStatus(409);
                assertThat(response)
                        .bodyJson()
                        .extractingPath("$.error")
                        .asString()
                        .contains("waiting for the migration lock held by pid "
                                + migrator.lockHolder().orElseThrow().pid());
                RestTestClientResponse status = app.get("/actuator/migrations");
                assertThat(status).bodyJson().extractingPath("$.lock.held").isEqualTo(true);
                assertThat(status).bodyJson().doesNotHavePath("$.lastRun");
            } finally {
                cancelSleeps();
                otherRun.handle((result, failure) -> null).get();
            }
            assertThat(tableExists("customer")).isFalse();
        }
    }

    @Test
    void postWithAFailingMigrationIsAServerErrorWithTheFailedRunReport() {
        script(this.migrations, "schema/V2__add_domain.sql", "ALTER TABLE customer ADD COLUMN domain texx;");
        try (RunningApplication app = start(AUTO_RUN_OFF, UNRESTRICTED)) {
            RestTestClientResponse response = app.post("/actuator/migrations", "{}");

            assertThat(response).hasStatus(500);
            assertThat(response).bodyJson().extractingPath("$.run.outcome").isEqualTo("FAILED");
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$.run.schemaApplied[*].version")
                    .asArray()
                    .containsExactly("1");
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$.run.error")
                    .asString()
                    .contains("V2__add_domain.sql")
                    .contains("texx");
            assertThat(response).bodyJson().extractingPath("$.error").asString().contains("texx");
            assertThat(app.get("/actuator/migrations"))
                    .bodyJson()
                    .extractingPath("$.lastRun.outcome")
                    .isEqualTo("FAILED");
        }
    }

    @Test
    void passwordsInErrorsAreMaskedEverywhere() {
        script(
                this.migrations,
                "data/D2__call_home.sql",
                "DO $$ BEGIN RAISE EXCEPTION 'cannot reach jdbc:postgresql://db/app?user=app&password=hunter2"
                        + " or postgres://app:hunter3@db/app'; END $$;");
        try (RunningApplication app = start(AUTO_RUN_OFF, UNRESTRICTED)) {
            RestTestClientResponse run = app.post("/actuator/migrations", "{}");
            RestTestClientResponse status = app.get("/actuator/migrations");
            RestTestClientResponse health = app.get("/actuator/health/migrations");

            assertThat(run).hasStatus(500);
            assertThat(run)
                    .bodyJson()
                    .extractingPath("$.error")
                    .asString()
                    .contains("password=******")
                    .contains("postgres://app:******@db/app");
            for (RestTestClientResponse response : new RestTestClientResponse[] {run, status, health}) {
                assertThat(app.body(response)).contains("cannot reach").doesNotContain("hunter2", "hunter3");
            }
        }
    }

    private RunningApplication start(String... properties) {
        return RunningApplication.start(this.database, this.migrations, properties);
    }

    private boolean columnExists(String table, String column) {
        return query("SELECT count(*) FROM information_schema.columns WHERE table_name = '" + table
                        + "' AND column_name = '" + column + "'")
                > 0;
    }

    private boolean tableExists(String table) {
        return query("SELECT count(*) FROM information_schema.tables WHERE table_name = '" + table + "'") > 0;
    }

    private void cancelSleeps() {
        query("SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%pg_sleep%'");
    }

    private void execute(String sql) {
        try (Connection connection = this.database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private long query(String sql) {
        try (Connection connection = this.database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                var rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
