package dev.migrator.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.autoconfigure.MigratorAutoConfiguration;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** Which actuator beans the auto-configuration contributes, against a real PostgreSQL. */
class MigratorActuatorAutoConfigurationIntegrationTests {

    private FreshDatabase database;

    private WebApplicationContextRunner contextRunner;

    @BeforeEach
    void setUp() {
        this.database = TestPostgres.server().createDatabase();
        this.contextRunner = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        DataSourceAutoConfiguration.class,
                        MigratorAutoConfiguration.class,
                        MigratorActuatorAutoConfiguration.class))
                .withPropertyValues(this.database.springProperties())
                .withPropertyValues("migrator.auto-run=false", "migrator.on-pending=ignore");
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void healthIndicatorButNoEndpointByDefault() {
        this.contextRunner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasBean("migrationsHealthIndicator");
            assertThat(context).hasSingleBean(MigrationsHealthIndicator.class);
            assertThat(context).doesNotHaveBean(MigrationsEndpoint.class);
        });
    }

    @Test
    void endpointWhenExposed() {
        this.contextRunner
                .withPropertyValues("management.endpoints.web.exposure.include=migrations")
                .run(context -> assertThat(context).hasSingleBean(MigrationsEndpoint.class));
    }

    @Test
    void noEndpointWhenExposedWithoutAccess() {
        this.contextRunner
                .withPropertyValues(
                        "management.endpoints.web.exposure.include=migrations",
                        // Upper case: unlike SpringApplication, the runner converts enums strictly.
                        "management.endpoint.migrations.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(MigrationsEndpoint.class));
    }

    @Test
    void noHealthIndicatorWhenSwitchedOff() {
        this.contextRunner
                .withPropertyValues("management.health.migrations.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(MigrationsHealthIndicator.class));
    }

    @Test
    void userHealthIndicatorOfTheSameNameWins() {
        this.contextRunner
                .withBean(
                        "migrationsHealthIndicator",
                        org.springframework.boot.health.contributor.HealthIndicator.class,
                        () -> () -> org.springframework.boot.health.contributor.Health.up()
                                .build())
                .run(context -> assertThat(context).doesNotHaveBean(MigrationsHealthIndicator.class));
    }

    @Test
    void nothingWhenMigratorIsDisabled() {
        this.contextRunner
                .withPropertyValues("migrator.enabled=false", "management.endpoints.web.exposure.include=migrations")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(MigrationsEndpoint.class);
                    assertThat(context).doesNotHaveBean(MigrationsHealthIndicator.class);
                });
    }
}
