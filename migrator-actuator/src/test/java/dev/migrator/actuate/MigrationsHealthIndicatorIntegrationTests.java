package dev.migrator.actuate;

import static dev.migrator.actuate.RunningApplication.script;
import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.web.servlet.client.assertj.RestTestClientResponse;

/** {@code /actuator/health/migrations} over HTTP, in a real application against a real PostgreSQL. */
class MigrationsHealthIndicatorIntegrationTests {

    private static final String HEALTH = "/actuator/health/migrations";

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
                "INSERT INTO customer (id, email) VALUES (1, 'ada@example.com');");
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void outOfServiceWhileMigrationsArePendingWithAutoRunOff() {
        try (RunningApplication app = start(AUTO_RUN_OFF)) {
            RestTestClientResponse health = app.get(HEALTH);

            System.out.println("GET " + HEALTH + " -> " + app.body(health));
            assertThat(health).hasStatus(503);
            assertThat(health).bodyJson().extractingPath("$.status").isEqualTo("OUT_OF_SERVICE");
            assertThat(health).bodyJson().extractingPath("$.details.status").isEqualTo("PENDING");
            assertThat(health)
                    .bodyJson()
                    .extractingPath("$.details.schema.pending")
                    .isEqualTo(2);
            assertThat(health)
                    .bodyJson()
                    .extractingPath("$.details.data.pending")
                    .isEqualTo(1);
            assertThat(health).bodyJson().doesNotHavePath("$.details.schema.current");
            assertThat(health).bodyJson().doesNotHavePath("$.details.error");
        }
    }

    @Test
    void pendingStatusIsConfigurable() {
        try (RunningApplication app = start(AUTO_RUN_OFF, "migrator.health.pending-status=up")) {
            RestTestClientResponse health = app.get(HEALTH);

            assertThat(health).hasStatusOk();
            assertThat(health).bodyJson().extractingPath("$.status").isEqualTo("UP");
            assertThat(health).bodyJson().extractingPath("$.details.status").isEqualTo("PENDING");
        }
    }

    @Test
    void upOnceAPostHasAppliedThePendingMigrations() {
        try (RunningApplication app = start(AUTO_RUN_OFF, UNRESTRICTED)) {
            assertThat(app.post("/actuator/migrations", "{}")).hasStatusOk();

            RestTestClientResponse health = app.get(HEALTH);
            assertThat(health).hasStatusOk();
            assertThat(health).bodyJson().extractingPath("$.status").isEqualTo("UP");
            assertThat(health)
                    .bodyJson()
                    .extractingPath("$.details.schema.current")
                    .isEqualTo("2");
            assertThat(health)
                    .bodyJson()
                    .extractingPath("$.details.schema.pending")
                    .isEqualTo(0);
            assertThat(health)
                    .bodyJson()
                    .extractingPath("$.details.data.current")
                    .isEqualTo("1");
            assertThat(health)
                    .bodyJson()
                    .extractingPath("$.details.data.pending")
                    .isEqualTo(0);
        }
    }

    @Test
    void downAfterAFailedMigration() {
        script(this.migrations, "data/D2__bad.sql", "UPDATE customer SET missing_column = 1;");
        try (RunningApplication app = start(AUTO_RUN_OFF, UNRESTRICTED)) {
            assertThat(app.post("/actuator/migrations", "{}")).hasStatus(500);

            RestTestClientResponse health = app.get(HEALTH);
            assertThat(health).hasStatus(503);
            assertThat(health).bodyJson().extractingPath("$.status").isEqualTo("DOWN");
            assertThat(health).bodyJson().extractingPath("$.details.status").isEqualTo("FAILED");
            assertThat(health)
                    .bodyJson()
                    .extractingPath("$.details.error")
                    .asString()
                    .contains("D2__bad.sql")
                    .contains("missing_column");
        }
    }

    @Test
    void downWhenASqlCheckFindsViolations() {
        script(
                this.migrations,
                "checks/every_customer_has_a_domain.sql",
                "SELECT id FROM customer WHERE domain IS NULL;");
        try (RunningApplication app = start()) {
            RestTestClientResponse health = app.get(HEALTH);

            assertThat(health).hasStatus(503);
            assertThat(health).bodyJson().extractingPath("$.status").isEqualTo("DOWN");
            assertThat(health)
                    .bodyJson()
                    .extractingPath("$.details.schema.pending")
                    .isEqualTo(0);
            assertThat(health)
                    .bodyJson()
                    .extractingPath("$.details.failedChecks")
                    .asArray()
                    .singleElement()
                    .asString()
                    .startsWith("every_customer_has_a_domain");
        }
    }

    @Test
    void downWhenAnAppliedMigrationNoLongerMatchesItsFile() {
        try (RunningApplication app = start()) {
            assertThat(app.get(HEALTH)).hasStatusOk();
        }
        script(this.migrations, "schema/V2__add_domain.sql", "ALTER TABLE customer ADD COLUMN domain varchar(255);");
        try (RunningApplication app = start(AUTO_RUN_OFF)) {
            RestTestClientResponse health = app.get(HEALTH);

            assertThat(health).hasStatus(503);
            assertThat(health).bodyJson().extractingPath("$.status").isEqualTo("DOWN");
            assertThat(health).bodyJson().extractingPath("$.details.status").isEqualTo("INVALID");
        }
    }

    @Test
    void isAComponentOfTheOverallHealth() {
        try (RunningApplication app = start(AUTO_RUN_OFF)) {
            RestTestClientResponse health = app.get("/actuator/health");

            assertThat(health).hasStatus(503);
            assertThat(health)
                    .bodyJson()
                    .extractingPath("$.components.migrations.status")
                    .isEqualTo("OUT_OF_SERVICE");
        }
    }

    @Test
    void canBeSwitchedOff() {
        try (RunningApplication app = start(AUTO_RUN_OFF, "management.health.migrations.enabled=false")) {
            assertThat(app.get(HEALTH)).hasStatus(404);
            assertThat(app.get("/actuator/health")).bodyJson().doesNotHavePath("$.components.migrations");
        }
    }

    private RunningApplication start(String... properties) {
        return RunningApplication.start(this.database, this.migrations, properties);
    }
}
