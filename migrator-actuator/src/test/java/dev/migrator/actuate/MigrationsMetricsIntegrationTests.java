package dev.migrator.actuate;

import static dev.migrator.actuate.RunningApplication.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import dev.migrator.autoconfigure.MigratorAutoConfiguration;
import dev.migrator.autoconfigure.descriptor.Trigger;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import dev.migrator.core.MigrationFailedException;
import dev.migrator.core.Migrator;
import dev.migrator.core.RunOptions;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Micrometer metrics of migrations, in a real application context against a real PostgreSQL. */
class MigrationsMetricsIntegrationTests {

    @TempDir
    Path migrations;

    private FreshDatabase database;

    private ApplicationContextRunner contextRunner;

    @BeforeEach
    void setUp() {
        this.database = TestPostgres.server().createDatabase();
        this.contextRunner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        DataSourceAutoConfiguration.class,
                        MigratorAutoConfiguration.class,
                        MigratorActuatorAutoConfiguration.class))
                .withPropertyValues(this.database.springProperties())
                .withPropertyValues(
                        "migrator.schema.locations=filesystem:" + this.migrations.resolve("schema"),
                        "migrator.data.locations=filesystem:" + this.migrations.resolve("data"));
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
    void startupRunIsTimedOnceAndCountsEachAppliedMigrationOnce() {
        this.contextRunner.withBean(SimpleMeterRegistry.class).run(context -> {
            assertThat(context).hasNotFailed();
            MeterRegistry registry = context.getBean(MeterRegistry.class);

            assertThat(registry.find("migrator.runs").timers()).hasSize(1);
            assertThat(runs(registry, "startup", "SUCCESS")).isEqualTo(1);
            assertThat(applied(registry, "schema")).isEqualTo(2);
            assertThat(applied(registry, "data")).isEqualTo(1);
            awaitPending(registry, 0, 0);
        });
    }

    @Test
    void pendingGaugeShowsTheWorkLeftAndFollowsRunsOfThisInstance() {
        this.contextRunner
                .withBean(SimpleMeterRegistry.class)
                .withPropertyValues("migrator.auto-run=false")
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    awaitPending(registry, 2, 1);

                    operations(context)
                            .migrate(Trigger.ENDPOINT, RunOptions.defaults().schemaTarget("1"));

                    assertThat(runs(registry, "endpoint", "SUCCESS")).isEqualTo(1);
                    assertThat(applied(registry, "schema")).isEqualTo(1);
                    assertThat(applied(registry, "data")).isEqualTo(1);
                    awaitPending(registry, 1, 0);
                });
    }

    @Test
    void failedRunIsTimedWithItsOutcomeAndCountsWhatItApplied() {
        script(this.migrations, "data/D2__bad.sql", "UPDATE customer SET missing_column = 1;");
        this.contextRunner
                .withBean(SimpleMeterRegistry.class)
                .withPropertyValues("migrator.auto-run=false")
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);

                    assertThatExceptionOfType(MigrationFailedException.class)
                            .isThrownBy(() -> operations(context).migrate(Trigger.ENDPOINT, RunOptions.defaults()))
                            .withMessageContaining("D2__bad.sql");

                    assertThat(runs(registry, "endpoint", "FAILED")).isEqualTo(1);
                    assertThat(registry.find("migrator.runs")
                                    .tag("outcome", "SUCCESS")
                                    .timers())
                            .isEmpty();
                    assertThat(applied(registry, "schema")).isEqualTo(2);
                    assertThat(applied(registry, "data")).isEqualTo(1);
                    awaitPending(registry, 0, 1);
                });
    }

    @Test
    void pendingGaugeCatchesUpWithRunsOfOtherInstancesOnceItsCountIsOld() {
        this.contextRunner
                .withUserConfiguration(ShortMaxAge.class)
                .withPropertyValues("migrator.auto-run=false")
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    awaitPending(registry, 2, 1);

                    // A migration job, or another instance: this one sees no run event.
                    Migrator.configure(this.database.dataSource())
                            .schemaLocations("filesystem:" + this.migrations.resolve("schema"))
                            .dataLocations("filesystem:" + this.migrations.resolve("data"))
                            .load()
                            .migrate();

                    assertThat(registry.find("migrator.runs").timers()).isEmpty();
                    awaitPending(registry, 0, 0);
                });
    }

    @Test
    void noMetricsWithoutAMeterRegistry() {
        this.contextRunner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(MigrationsMetrics.class);
        });
    }

    @Test
    void noMetricsWithoutMicrometer() {
        this.contextRunner
                .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(MigrationsMetrics.class);
                    assertThat(context).hasSingleBean(MigrationsHealthIndicator.class);
                });
    }

    private static MigratorOperations operations(ApplicationContext context) {
        return context.getBean(MigratorOperations.class);
    }

    private static long runs(MeterRegistry registry, String trigger, String outcome) {
        return registry.get("migrator.runs")
                .tag("trigger", trigger)
                .tag("outcome", outcome)
                .timer()
                .count();
    }

    private static double applied(MeterRegistry registry, String track) {
        return registry.get("migrator.migrations.applied")
                .tag("track", track)
                .counter()
                .count();
    }

    private static double pending(MeterRegistry registry, String track) {
        return registry.get("migrator.migrations.pending")
                .tag("track", track)
                .gauge()
                .value();
    }

    private static void awaitPending(MeterRegistry registry, int schema, int data) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(pending(registry, "schema")).isEqualTo(schema);
            assertThat(pending(registry, "data")).isEqualTo(data);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class ShortMaxAge {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        MigrationsMetrics migrationsMetrics(MigratorOperations operations, MeterRegistry registry) {
            return new MigrationsMetrics(operations, registry, Duration.ofMillis(200));
        }
    }
}
