package dev.migrator.autoconfigure;

import dev.migrator.autoconfigure.command.MigratorCommandExit;
import dev.migrator.autoconfigure.command.MigratorCommandRunner;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import dev.migrator.autoconfigure.startup.MigratorDataInitializer;
import dev.migrator.autoconfigure.startup.MigratorSchemaInitializer;
import dev.migrator.core.Migrator;
import dev.migrator.core.MigratorConfiguration;
import dev.migrator.core.check.MigrationCheck;
import dev.migrator.core.data.DataMigration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration for migrator: the {@link Migrator}, the {@link Flyway} bean of its schema track
 * (so Boot's own Flyway auto-configuration backs off), and the startup initializer.
 *
 * @since 0.1.0
 */
@AutoConfiguration(
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        beforeName = "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration")
@ConditionalOnClass({Migrator.class, Flyway.class})
@ConditionalOnBooleanProperty(name = "migrator.enabled", matchIfMissing = true)
@Conditional(MigratorAutoConfiguration.MigrationDataSourceCondition.class)
@EnableConfigurationProperties(MigratorProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public final class MigratorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Migrator migrator(
            MigratorProperties properties,
            ResourceLoader resourceLoader,
            ObjectProvider<DataSource> dataSource,
            @MigratorDataSource ObjectProvider<DataSource> migratorDataSource,
            ObjectProvider<JavaMigration> javaMigrations,
            ObjectProvider<DataMigration> dataMigrations,
            ObjectProvider<MigrationCheck> checks,
            ObjectProvider<MigratorCustomizer> customizers) {
        DataSource migrationDataSource =
                migrationDataSource(properties, migratorDataSource.getIfAvailable(), dataSource.getIfUnique());
        MigratorConfiguration builder = properties
                .applyTo(Migrator.configure(migrationDataSource))
                .classLoader(resourceLoader.getClassLoader())
                // Resolved when the data phase runs, after all singletons exist: a data migration may
                // inject repositories and services.
                .dataMigrations(() -> dataMigrations.orderedStream().toList())
                .checks(() -> checks.orderedStream().toList())
                .javaMigrations(javaMigrations.orderedStream().toList());
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.load();
    }

    @Bean
    Flyway flyway(Migrator migrator) {
        return migrator.flyway();
    }

    @Bean
    @ConditionalOnMissingBean
    MigratorOperations migratorOperations(
            Migrator migrator, ApplicationEventPublisher events, MigratorProperties properties) {
        return new MigratorOperations(migrator, events, properties.isAutoRun());
    }

    @Bean
    MigratorSchemaInitializer migratorSchemaInitializer(MigratorOperations operations, MigratorProperties properties) {
        return new MigratorSchemaInitializer(operations, properties.isAutoRun(), properties.getOnPending());
    }

    @Bean
    MigratorDataInitializer migratorDataInitializer(MigratorOperations operations, MigratorProperties properties) {
        return new MigratorDataInitializer(operations, properties.isAutoRun(), properties.getOnPending());
    }

    @Bean
    static LazyInitializationExcludeFilter migratorLazyInitializationExcludeFilter() {
        return LazyInitializationExcludeFilter.forBeanTypes(
                MigratorSchemaInitializer.class, MigratorDataInitializer.class, MigratorCommandRunner.class);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty("migrator.command")
    static class CommandModeConfiguration {

        @Bean
        @ConditionalOnMissingBean
        MigratorCommandExit migratorCommandExit() {
            return System::exit;
        }

        @Bean
        MigratorCommandRunner migratorCommandRunner(
                MigratorOperations operations, MigratorProperties properties, MigratorCommandExit exit) {
            return new MigratorCommandRunner(
                    operations,
                    java.util.Objects.requireNonNull(properties.getCommand()),
                    properties.getOutput(),
                    exit,
                    System.out);
        }
    }

    private static DataSource migrationDataSource(
            MigratorProperties properties, @Nullable DataSource migratorDataSource, @Nullable DataSource dataSource) {
        if (migratorDataSource != null) {
            return migratorDataSource;
        }
        if (StringUtils.hasText(properties.getUrl())) {
            return DataSourceBuilder.create()
                    .type(SimpleDriverDataSource.class)
                    .url(properties.getUrl())
                    .username(properties.getUser())
                    .password(properties.getPassword())
                    .build();
        }
        if (dataSource == null) {
            throw new IllegalStateException("migrator found no unique DataSource to migrate: define one DataSource,"
                    + " mark one @Primary, or set migrator.url");
        }
        if (StringUtils.hasText(properties.getUser())) {
            return DataSourceBuilder.derivedFrom(dataSource)
                    .type(SimpleDriverDataSource.class)
                    .username(properties.getUser())
                    .password(properties.getPassword())
                    .build();
        }
        return dataSource;
    }

    static final class MigrationDataSourceCondition extends AnyNestedCondition {

        MigrationDataSourceCondition() {
            super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(DataSource.class)
        private static final class DataSourceBeanCondition {}

        @ConditionalOnProperty("migrator.url")
        private static final class MigratorUrlCondition {}
    }
}
