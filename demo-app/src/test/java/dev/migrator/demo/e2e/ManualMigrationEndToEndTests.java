package dev.migrator.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The packaged service with {@code migrator.auto-run=false} on a database with pending migrations: it serves, reports
 * itself out of service and lists the pending work, refuses a migration by POST unless the endpoint's access is
 * unrestricted, and with that access migrates on POST and turns healthy.
 */
class ManualMigrationEndToEndTests {

    private static final Duration STARTUP = Duration.ofSeconds(120);

    /**
     * Auto-run off, and Hibernate told not to validate the schema: with {@code validate}, an instance refuses to start
     * on a schema its migrations have not built yet (what {@code migrator.on-pending=fail} says more clearly), so it
     * could not show what a running instance reports while work is pending.
     */
    private static final String[] MANUAL = {"--migrator.auto-run=false", "--spring.jpa.hibernate.ddl-auto=none"};

    private static final List<String> SCHEMA_PENDING = List.of("1", "2", "3", "4", "5", "6");

    private static final List<String> DATA_PENDING = List.of(
            "D1__seed_loyalty_tiers.sql",
            "dev.migrator.demo.customer.D2__SeedDemoCustomers",
            "dev.migrator.demo.customer.D3__BackfillCustomerEmailDomain",
            "R__product_catalog.sql");

    @RegisterExtension
    final DemoProcesses processes = new DemoProcesses();

    @Test
    void pendingWorkKeepsAnInstanceOutOfServiceUntilAnUnrestrictedPostMigratesIt() {
        // Started together to save a start; neither migrates anything on its own.
        DemoProcess readOnly = this.processes.start("read-only", MANUAL);
        DemoProcess unrestricted = this.processes.start(
                "unrestricted", MANUAL[0], MANUAL[1], "--management.endpoint.migrations.access=unrestricted");
        readOnly.awaitStarted(STARTUP);
        unrestricted.awaitStarted(STARTUP);

        Http.Response health = Http.get(readOnly.uri("/actuator/health"));
        assertThat(health.status()).as("health status code while pending").isEqualTo(503);
        assertThat(health.<String>read("$.status")).isEqualTo("OUT_OF_SERVICE");
        assertThat(health.<String>read("$.components.migrations.status")).isEqualTo("OUT_OF_SERVICE");
        assertThat(health.<Integer>read("$.components.migrations.details.schema.pending"))
                .isEqualTo(SCHEMA_PENDING.size());
        assertThat(health.<Integer>read("$.components.migrations.details.data.pending"))
                .isEqualTo(DATA_PENDING.size());
        Http.Response migrations = Http.get(readOnly.uri("/actuator/migrations"));
        assertThat(migrations.status()).isEqualTo(200);
        assertThat(migrations.<String>read("$.status")).isEqualTo("PENDING");
        assertThat(migrations.<Boolean>read("$.autoRun")).isFalse();
        assertThat(migrations.<List<String>>read("$.schema.pending[*].version"))
                .containsExactlyElementsOf(SCHEMA_PENDING);
        assertThat(migrations.<List<String>>read("$.data.pending[*].script")).containsExactlyElementsOf(DATA_PENDING);

        Http.Response refused = Http.post(readOnly.uri("/actuator/migrations"), "{}");
        assertThat(refused.status())
                .as("POST with the default read-only access")
                .isEqualTo(405);
        JdbcClient jdbc = this.processes.jdbc();
        assertThat(jdbc.sql("SELECT to_regclass('flyway_schema_history') IS NULL")
                        .query(Boolean.class)
                        .single())
                .as("no schema history after the refused POST")
                .isTrue();
        assertThat(Http.get(unrestricted.uri("/actuator/health")).status())
                .as("health status code of the other instance while pending")
                .isEqualTo(503);

        Http.Response run = Http.post(unrestricted.uri("/actuator/migrations"), "{}");

        assertThat(run.status()).as("POST with unrestricted access").isEqualTo(200);
        assertThat(run.<String>read("$.run.trigger")).isEqualTo("endpoint");
        assertThat(run.<String>read("$.run.outcome")).isEqualTo("SUCCESS");
        assertThat(run.<List<String>>read("$.run.schemaApplied[*].version")).containsExactlyElementsOf(SCHEMA_PENDING);
        assertThat(run.<List<String>>read("$.run.dataApplied[*].script")).containsExactlyElementsOf(DATA_PENDING);
        assertThat(run.<List<String>>read("$.checks[*].status")).isNotEmpty().containsOnly("PASSED");
        for (DemoProcess instance : List.of(unrestricted, readOnly)) {
            Http.Response healthAfter = Http.get(instance.uri("/actuator/health"));
            assertThat(healthAfter.status())
                    .as("health status code after the run")
                    .isEqualTo(200);
            assertThat(healthAfter.<String>read("$.status")).isEqualTo("UP");
            assertThat(healthAfter.<String>read("$.components.migrations.status"))
                    .isEqualTo("UP");
        }
        assertThat(Http.get(readOnly.uri("/actuator/migrations")).<String>read("$.status"))
                .isEqualTo("UP_TO_DATE");
        assertThat(jdbc.sql("SELECT count(*) FROM customer WHERE email_domain IS NOT NULL")
                        .query(Long.class)
                        .single())
                .isEqualTo(DemoProcesses.DEFAULT_SEED);
    }
}
