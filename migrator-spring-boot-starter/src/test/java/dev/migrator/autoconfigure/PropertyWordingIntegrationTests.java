package dev.migrator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.Migrator;
import dev.migrator.core.MigratorException;
import dev.migrator.core.RunReport;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The core names settings after its configuration methods; in a Spring application every failure
 * names the {@code migrator.*} property (or {@code spring.datasource.*}) a user sets instead.
 */
class PropertyWordingIntegrationTests {

    @TempDir
    Path migrations;

    @TempDir
    Path data;

    private FreshDatabase database;

    private ApplicationContextRunner contextRunner;

    @BeforeEach
    void setUp() throws IOException {
        this.database = TestPostgres.server().createDatabase();
        this.contextRunner = new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(DataSourceAutoConfiguration.class, MigratorAutoConfiguration.class))
                .withPropertyValues(this.database.springProperties())
                .withPropertyValues(
                        "migrator.schema.locations=filesystem:" + this.migrations,
                        "migrator.data.locations=filesystem:" + this.data);
        Files.writeString(
                this.migrations.resolve("V1__create_country.sql"),
                "CREATE TABLE country (code text PRIMARY KEY, name text);");
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void aSchemaTargetThatNamesNoMigrationNamesItsProperty() {
        this.contextRunner.withPropertyValues("migrator.schema.target=9").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .satisfies(failure -> assertThat(migratorFailure(failure))
                            .hasMessageContaining("Schema target '9' matches no migration")
                            .hasMessageContaining("Set 'migrator.schema.target' to an existing version"));
        });
    }

    @Test
    void aDataTargetThatNamesNoMigrationNamesItsProperty() throws IOException {
        Files.writeString(this.data.resolve("D1__insert_france.sql"), "INSERT INTO country VALUES ('FR', 'France');");
        this.contextRunner.withPropertyValues("migrator.data.target=4").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .satisfies(failure -> assertThat(migratorFailure(failure))
                            .hasMessageContaining("Data target '4' matches no data migration")
                            .hasMessageContaining("Set 'migrator.data.target' to an existing version"));
        });
    }

    @Test
    void anUnreachableDatabaseNamesTheRetryProperty() {
        this.contextRunner
                .withPropertyValues(
                        "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/postgres?connectTimeout=2",
                        "spring.datasource.hikari.initialization-fail-timeout=-1",
                        "spring.datasource.hikari.connection-timeout=1000")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .satisfies(failure -> assertThat(migratorFailure(failure))
                                    .hasMessageContaining("Could not connect to the database")
                                    .hasMessageContaining("set 'migrator.connect-retries' to wait for it"));
                });
    }

    @Test
    void aDataMigrationWrittenForAnOlderSchemaNamesTheOrderingProperty() throws IOException {
        Files.writeString(this.migrations.resolve("V3__drop_name.sql"), "ALTER TABLE country DROP COLUMN name;");
        Files.writeString(this.data.resolve("D2__insert_france.sql"), "INSERT INTO country VALUES ('FR', 'France');");
        this.contextRunner.run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .satisfies(failure -> assertThat(migratorFailure(failure))
                            .hasMessageContaining("D2__insert_france.sql")
                            .hasMessageContaining("migrator.data.ordering=after-schema")
                            .hasMessageContaining("set migrator.data.ordering=by-version"));
        });
    }

    @Test
    void aLockWaitThatTimesOutNamesItsProperty() throws Exception {
        Path slow = Files.createDirectories(this.migrations.resolve("slow"));
        Files.writeString(slow.resolve("V1__slow.sql"), "SELECT pg_sleep(4);");
        // Another instance: the same lock (the same data history table), its own schema history.
        Migrator other = Migrator.configure(this.database.dataSource())
                .schemaLocations("filesystem:" + slow)
                .schemaTable("other_schema_history")
                .dataEnabled(false)
                .load();
        CompletableFuture<RunReport> otherRun = CompletableFuture.supplyAsync(other::migrate);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (other.lockHolder().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        this.contextRunner
                .withPropertyValues("migrator.lock.wait-timeout=200ms")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .satisfies(failure -> assertThat(migratorFailure(failure))
                                    .hasMessageContaining("waiting for the migration lock")
                                    .hasMessageContaining("raise 'migrator.lock.wait-timeout' for longer runs"));
                });
        assertThat(otherRun.get(30, TimeUnit.SECONDS).schemaApplied()).hasSize(1);
    }

    @Test
    void theLockSessionShowsTheConfiguredApplicationName() throws Exception {
        Files.writeString(this.migrations.resolve("V2__slow.sql"), "SELECT pg_sleep(2);");
        this.contextRunner
                .withPropertyValues("migrator.lock.application-name=billing-migrations", "migrator.auto-run=false")
                .run(context -> {
                    Migrator migrator = context.getBean(Migrator.class);
                    assertThat(migrator.settings().applicationName()).isEqualTo("billing-migrations");
                    CompletableFuture<RunReport> run = CompletableFuture.supplyAsync(migrator::migrate);
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (migrator.lockHolder().isEmpty() && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertThat(migrator.lockHolder())
                            .hasValueSatisfying(holder ->
                                    assertThat(holder.applicationName()).contains("billing-migrations"));
                    assertThat(run.get(30, TimeUnit.SECONDS).schemaApplied()).hasSize(2);
                });
    }

    private static MigratorException migratorFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MigratorException migratorException) {
                return migratorException;
            }
        }
        throw new AssertionError("No MigratorException in the cause chain", failure);
    }
}
