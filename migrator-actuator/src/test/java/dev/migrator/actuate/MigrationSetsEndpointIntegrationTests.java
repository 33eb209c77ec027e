package dev.migrator.actuate;

import static dev.migrator.actuate.RunningApplication.script;
import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.autoconfigure.MigratorAutoConfiguration;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.assertj.RestTestClientResponse;

/** Every surface of the actuator covers every migration set: endpoint, health and metrics. */
class MigrationSetsEndpointIntegrationTests {

    @TempDir
    Path migrations;

    private FreshDatabase database;

    @BeforeEach
    void setUp() {
        this.database = TestPostgres.server().createDatabase();
        script(this.migrations, "schema/V1__create_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        script(this.migrations, "jobs/V1__create_job.sql", "CREATE TABLE job (id bigint PRIMARY KEY);");
        script(this.migrations, "jobs/V2__add_cron.sql", "ALTER TABLE job ADD COLUMN cron text;");
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void getShowsEachSetAndTheWorstStatus() {
        try (RunningApplication app = start("migrator.auto-run=false")) {
            RestTestClientResponse response = app.get("/actuator/migrations");

            assertThat(response).hasStatusOk();
            assertThat(response).bodyJson().extractingPath("$.status").isEqualTo("PENDING");
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$.schema.pending[*].version")
                    .asArray()
                    .containsExactly("1");
            assertThat(response)
                    .bodyJson()
                    .extractingPath("$.sets.jobs.schema.pending[*].version")
                    .asArray()
                    .containsExactly("1", "2");
            assertThat(app.get("/actuator/migrations/preview?set=jobs"))
                    .bodyJson()
                    .extractingPath("$[*].script")
                    .asArray()
                    .containsExactly("V1__create_job.sql", "V2__add_cron.sql");
        }
    }

    @Test
    void postRunsTheNamedSetOrEverySet() {
        // The jobs set runs first here, so the default set finds the schema filled: it baselines below V1.
        try (RunningApplication app = start(
                "migrator.auto-run=false",
                "management.endpoint.migrations.access=unrestricted",
                "migrator.schema.baseline-on-migrate=true",
                "migrator.schema.baseline-version=0")) {
            RestTestClientResponse jobs =
                    app.post("/actuator/migrations", "{\"set\": \"jobs\", \"schemaTarget\": \"1\"}");

            assertThat(jobs).hasStatusOk();
            assertThat(jobs)
                    .bodyJson()
                    .extractingPath("$.run.schemaApplied[*].version")
                    .asArray()
                    .containsExactly("1");
            assertThat(tableExists("customer")).isFalse();

            RestTestClientResponse targetsWithoutSet = app.post("/actuator/migrations", "{\"schemaTarget\": \"1\"}");
            assertThat(targetsWithoutSet).hasStatus(400);
            assertThat(targetsWithoutSet)
                    .bodyJson()
                    .extractingPath("$.error")
                    .asString()
                    .contains("\"set\"");

            RestTestClientResponse all = app.post("/actuator/migrations");
            assertThat(all).hasStatusOk();
            assertThat(all)
                    .bodyJson()
                    .extractingPath("$.sets.default.run.schemaApplied[*].version")
                    .asArray()
                    .containsExactly("1");
            assertThat(all)
                    .bodyJson()
                    .extractingPath("$.sets.jobs.run.schemaApplied[*].version")
                    .asArray()
                    .containsExactly("2");
            assertThat(app.post("/actuator/migrations", "{\"set\": \"job\"}")).hasStatus(404);
        }
    }

    @Test
    void healthIsTheWorstOfAllSetsWithEachSetInTheDetails() {
        script(this.migrations, "schema/V2__broken.sql", "ALTER TABLE customer ADD COLUMN;");
        try (RunningApplication app = start("migrator.auto-run=false", "migrator.sets.jobs.schema.target=1")) {
            RestTestClientResponse health = app.get("/actuator/health/migrations");

            assertThat(health).bodyJson().extractingPath("$.status").isEqualTo("OUT_OF_SERVICE");
            assertThat(health).bodyJson().extractingPath("$.details.status").isEqualTo("PENDING");
            assertThat(health)
                    .bodyJson()
                    .extractingPath("$.details.sets.jobs.status")
                    .isEqualTo("PENDING");
            assertThat(health)
                    .bodyJson()
                    .extractingPath("$.details.sets.jobs.schema.pending")
                    .isEqualTo(1);
        }
    }

    @Test
    void metricsAreTaggedWithTheirSet() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        DataSourceAutoConfiguration.class,
                        MigratorAutoConfiguration.class,
                        MigratorActuatorAutoConfiguration.class))
                .withBean(SimpleMeterRegistry.class)
                .withPropertyValues(this.database.springProperties())
                .withPropertyValues(
                        "migrator.schema.locations=filesystem:" + this.migrations.resolve("schema"),
                        "migrator.sets.jobs.schema.locations=filesystem:" + this.migrations.resolve("jobs"),
                        "migrator.sets.jobs.data.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    MeterRegistry registry = context.getBean(MeterRegistry.class);

                    assertThat(registry.get("migrator.migrations.applied")
                                    .tags("set", "default", "track", "schema")
                                    .counter()
                                    .count())
                            .isEqualTo(1);
                    assertThat(registry.get("migrator.migrations.applied")
                                    .tags("set", "jobs", "track", "schema")
                                    .counter()
                                    .count())
                            .isEqualTo(2);
                    assertThat(registry.get("migrator.runs")
                                    .tags("set", "jobs", "trigger", "startup")
                                    .timer()
                                    .count())
                            .isEqualTo(1);
                });
    }

    private RunningApplication start(String... properties) {
        String[] all = new String[properties.length + 3];
        all[0] = "migrator.sets.jobs.schema.locations=filesystem:" + this.migrations.resolve("jobs");
        all[1] = "migrator.sets.jobs.data.enabled=false";
        all[2] = "management.endpoints.web.exposure.include=migrations,health";
        System.arraycopy(properties, 0, all, 3, properties.length);
        return RunningApplication.start(this.database, this.migrations, all);
    }

    private boolean tableExists(String table) {
        return Boolean.TRUE.equals(new JdbcTemplate(this.database.dataSource())
                .queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, table));
    }
}
