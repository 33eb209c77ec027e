package dev.migrator.actuate;

import dev.migrator.autoconfigure.MigratorAutoConfiguration;
import dev.migrator.autoconfigure.operations.MigrationSets;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of migrator's actuator support: the {@link MigrationsEndpoint} when the
 * {@code migrations} endpoint is available, the {@link MigrationsHealthIndicator} unless {@code
 * management.health.migrations.enabled=false}, and the {@link MigrationsMetrics} when there is a
 * Micrometer {@link MeterRegistry}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(
        after = MigratorAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBean(MigratorOperations.class)
public final class MigratorActuatorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
    @ConditionalOnAvailableEndpoint(MigrationsEndpoint.class)
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        MigrationsEndpoint migrationsEndpoint(MigrationSets sets) {
            return new MigrationsEndpoint(sets);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ConditionalOnEnabledHealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("migrations")
    @EnableConfigurationProperties(MigratorHealthProperties.class)
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "migrationsHealthIndicator")
        MigrationsHealthIndicator migrationsHealthIndicator(MigrationSets sets, MigratorHealthProperties properties) {
            return new MigrationsHealthIndicator(sets, properties);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        MigrationsMetrics migrationsMetrics(MigratorOperations operations, MeterRegistry registry) {
            return new MigrationsMetrics(operations, registry);
        }

        @Bean
        @ConditionalOnMissingBean
        MigrationSetsMetrics migrationSetsMetrics(MigrationSets sets, MeterRegistry registry) {
            return new MigrationSetsMetrics(sets, registry);
        }
    }
}
