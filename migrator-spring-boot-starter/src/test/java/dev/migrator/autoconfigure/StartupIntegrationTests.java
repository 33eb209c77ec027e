package dev.migrator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.migrator.acceptance.PgBouncer;
import dev.migrator.core.data.D2__CountEachItemOnce;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/** Whole applications started with {@code SpringApplication}: concurrency and failure rendering. */
@ExtendWith(OutputCaptureExtension.class)
class StartupIntegrationTests {

    @TempDir
    Path migrations;

    private FreshDatabase database;

    @BeforeEach
    void setUp() throws IOException {
        this.database = TestPostgres.server().createDatabase();
        script("V1__create_event.sql", "CREATE TABLE event (id bigserial PRIMARY KEY, note text NOT NULL);");
        // Not idempotent on purpose: a second application would add a second row.
        script("V2__record_event.sql", "INSERT INTO event (note) VALUES ('migrated');");
        script("V3__take_a_moment.sql", "SELECT pg_sleep(0.3);");
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void eightApplicationsStartedAtOnceApplyEachMigrationExactlyOnce(@TempDir Path data) throws Exception {
        // Flyway's own lock serializes the schema track; only migrator's lock serializes the data track, so the
        // data migration and the backfill are what makes this test fail when that lock is missing.
        script(
                "V4__create_item.sql",
                "CREATE TABLE item (id bigint PRIMARY KEY, counter int NOT NULL DEFAULT 0);"
                        + " INSERT INTO item (id) SELECT generate_series(1, 200);");
        Files.writeString(data.resolve("D1__record_event.sql"), "INSERT INTO event (note) VALUES ('data once');");
        List<CompletableFuture<ConfigurableApplicationContext>> starts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            starts.add(CompletableFuture.supplyAsync(
                    () -> new SpringApplicationBuilder(MinimalApplication.class, CountingBackfill.class)
                            .web(WebApplicationType.NONE)
                            .properties(this.database.springProperties())
                            .properties(
                                    "migrator.schema.locations=filesystem:" + this.migrations,
                                    "migrator.data.locations=filesystem:" + data)
                            .run()));
        }
        List<ConfigurableApplicationContext> contexts = new ArrayList<>();
        try {
            for (CompletableFuture<ConfigurableApplicationContext> start : starts) {
                contexts.add(start.get(2, TimeUnit.MINUTES));
            }
            assertThat(contexts)
                    .hasSize(8)
                    .allSatisfy(context -> assertThat(context.isActive()).isTrue());
            JdbcTemplate jdbc = new JdbcTemplate(this.database.dataSource());
            assertThat(jdbc.queryForObject("SELECT count(*) FROM event WHERE note = 'migrated'", Long.class))
                    .isEqualTo(1);
            assertThat(jdbc.queryForList(
                            "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank",
                            String.class))
                    .containsExactly("1", "2", "3", "4");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM event WHERE note = 'data once'", Long.class))
                    .isEqualTo(1);
            assertThat(jdbc.queryForList(
                            "SELECT version FROM migrator_data_history WHERE success ORDER BY installed_rank",
                            String.class))
                    .containsExactly("1", "2");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM item WHERE counter = 1", Long.class))
                    .as("every row backfilled exactly once")
                    .isEqualTo(200);
        } finally {
            contexts.forEach(ConfigurableApplicationContext::close);
        }
    }

    @Test
    void failedMigrationIsRenderedWithWhatFailedAndWhatToDo(CapturedOutput output) throws IOException {
        script("V4__broken.sql", "INSERT INTO event (note) VALUES (NULL);");

        assertThatException().isThrownBy(this::start);

        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("migrator: Schema migration 'V4__broken.sql' failed")
                .contains("23502")
                .contains("Its transaction was rolled back");
        assertThat(new JdbcTemplate(this.database.dataSource())
                        .queryForObject("SELECT count(*) FROM event", Long.class))
                .isEqualTo(1);
    }

    @Test
    void unreachableDatabaseIsRenderedAfterTheRetries(CapturedOutput output) {
        assertThatException()
                .isThrownBy(() -> start(
                        "migrator.url=jdbc:postgresql://127.0.0.1:1/nowhere",
                        "migrator.connect-retries=1",
                        "migrator.connect-retries-interval=1s"));

        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("migrator: Could not connect to the database after 1 retry")
                .contains("Database not reachable");
    }

    @Test
    void credentialsInTheUrlNeverReachTheOutput(CapturedOutput output) {
        assertThatException()
                .isThrownBy(
                        () -> start("migrator.url=jdbc:postgresql://127.0.0.1:1/nowhere?user=ops&password=hunter2"));

        assertThat(output)
                .contains("migrator: Could not connect to the database")
                .doesNotContain("hunter2");
    }

    @Test
    void wrongPasswordIsRenderedWithoutThePassword(CapturedOutput output) {
        assumeThat(TestPostgres.server().description())
                .as("password authentication is switched on only on the embedded server")
                .startsWith("embedded");
        PasswordAuthentication.require("migrator_password_user", "right-password");

        assertThatException()
                .isThrownBy(() -> start("migrator.user=migrator_password_user", "migrator.password=s3cret-wrong"));

        assertThat(output)
                .contains("migrator: The database refused the migration user")
                .contains("28P01")
                .contains("Check the user and password")
                .doesNotContain("s3cret-wrong");
    }

    @Test
    void aTransactionPoolerIsRefusedAtStartupAndMigratorUrlGoesAroundIt(CapturedOutput output) throws Exception {
        assumeTrue(PgBouncer.available(), "PgBouncer is not installed (.ci/run installs the pgbouncer package)");
        try (PgBouncer bouncer = PgBouncer.start(this.database, "transaction")) {
            assertThatException().isThrownBy(() -> start("spring.datasource.url=" + bouncer.jdbcUrl()));

            assertThat(output)
                    .contains("APPLICATION FAILED TO START")
                    .contains("migrator: The migration connection cannot hold a session lock")
                    .contains("connection pooler in transaction mode")
                    .contains("migrator.url");
            assertThat(new JdbcTemplate(this.database.dataSource())
                            .queryForObject(
                                    "SELECT count(*) FROM pg_tables WHERE tablename = 'flyway_schema_history'",
                                    Long.class))
                    .isZero();

            try (ConfigurableApplicationContext context = start(
                    "spring.datasource.url=" + bouncer.jdbcUrl(),
                    "migrator.url=" + this.database.jdbcUrl(),
                    "migrator.user=" + this.database.username(),
                    "migrator.password=" + this.database.password())) {
                assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT count(*) FROM event", Long.class))
                        .as("migrated directly, while the application's queries go through the pooler")
                        .isEqualTo(1);
            }
        }
    }

    private ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(MinimalApplication.class)
                .web(WebApplicationType.NONE)
                .properties(Stream.concat(
                                Stream.of(this.database.springProperties()),
                                Stream.of("migrator.schema.locations=filesystem:" + this.migrations))
                        .toArray(String[]::new))
                .properties(properties)
                .run();
    }

    private void script(String name, String sql) throws IOException {
        Files.writeString(this.migrations.resolve(name), sql);
    }

    /** The backfill that counts each row it visits, slowly enough for the applications to overlap. */
    static class CountingBackfill {

        @Bean
        D2__CountEachItemOnce countEachItemOnce() {
            return new D2__CountEachItemOnce();
        }
    }

    @SpringBootConfiguration
    @ImportAutoConfiguration({
        DataSourceAutoConfiguration.class,
        JdbcTemplateAutoConfiguration.class,
        MigratorAutoConfiguration.class
    })
    static class MinimalApplication {}
}
