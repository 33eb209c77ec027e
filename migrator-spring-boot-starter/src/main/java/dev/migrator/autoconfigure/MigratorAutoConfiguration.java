package dev.migrator.autoconfigure;

import dev.migrator.autoconfigure.command.MigratorCommandExit;
import dev.migrator.autoconfigure.command.MigratorCommandRunner;
import dev.migrator.autoconfigure.flyway.SpringFlywayProperties;
import dev.migrator.autoconfigure.operations.MigrationSets;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import dev.migrator.autoconfigure.startup.MigratorDataInitializer;
import dev.migrator.autoconfigure.startup.MigratorSchemaInitializer;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.Migrator;
import dev.migrator.core.MigratorConfiguration;
import dev.migrator.core.MigratorException;
import dev.migrator.core.check.MigrationCheck;
import dev.migrator.core.data.DataMigration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
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
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
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
            ListableBeanFactory beanFactory,
            Environment environment) {
        SpringFlywayProperties springFlyway = new SpringFlywayProperties(environment);
        DataSource migrationDataSource = migrationDataSource(
                properties, springFlyway.connection(), migratorDataSource.getIfAvailable(), dataSource.getIfUnique());
        MigratorConfiguration builder = properties.applyTo(Migrator.configure(migrationDataSource));
        // spring.flyway.* fills in what migrator.* leaves unset, as Boot's Flyway would read it.
        springFlyway.applyTo(builder);
        return load(builder, MigrationSets.DEFAULT, setNames(properties), beanFactory, resourceLoader);
    }

    /**
     * Add a set's beans to its configuration, apply its customizers and load it. Java data
     * migrations and checks are resolved when the data phase runs, after all singletons exist, so
     * they may inject repositories and services.
     */
    private static Migrator load(
            MigratorConfiguration builder,
            String set,
            List<String> sets,
            ListableBeanFactory beanFactory,
            ResourceLoader resourceLoader) {
        List<Callback> callbacks = new MigrationSetMembers<>(beanFactory, Callback.class, sets).of(set);
        if (!callbacks.isEmpty()) {
            builder.schemaCustomizer(flyway -> flyway.callbacks(callbacks.toArray(Callback[]::new)));
        }
        builder.classLoader(resourceLoader.getClassLoader())
                .dataMigrations(new MigrationSetMembers<>(beanFactory, DataMigration.class, sets).later(set))
                .checks(new MigrationSetMembers<>(beanFactory, MigrationCheck.class, sets).later(set))
                .javaMigrations(new MigrationSetMembers<>(beanFactory, JavaMigration.class, sets).of(set));
        new MigrationSetMembers<>(beanFactory, MigratorCustomizer.class, sets)
                .of(set)
                .forEach(customizer -> customizer.customize(builder));
        return builder.load();
    }

    private static List<String> setNames(MigratorProperties properties) {
        Map<String, List<String>> dependsOn = new LinkedHashMap<>();
        properties.getSets().forEach((name, set) -> dependsOn.put(name, set.getDependsOn()));
        return MigrationSetOrder.order(dependsOn);
    }

    @Bean
    MigrationSets migrationSets(
            MigratorOperations defaultSet,
            MigratorProperties properties,
            ObjectProvider<DataSource> dataSource,
            ListableBeanFactory beanFactory,
            ResourceLoader resourceLoader,
            ApplicationEventPublisher events,
            Environment environment) {
        List<String> names = setNames(properties);
        Binder binder = Binder.get(environment);
        List<MigratorOperations> sets = new ArrayList<>();
        sets.add(defaultSet);
        for (String name : names.subList(1, names.size())) {
            MigratorProperties.Set set = properties.getSets().get(name);
            DataSource setDataSource = setDataSource(name, set, dataSource, beanFactory);
            MigratorConfiguration builder = set.applyTo(Migrator.configure(setDataSource), name, binder);
            Migrator migrator = load(builder, name, names, beanFactory, resourceLoader);
            sets.add(new MigratorOperations(name, migrator, events, properties.isAutoRun()));
        }
        MigrationSetTables.check(properties, sets);
        return new MigrationSets(sets);
    }

    private static DataSource setDataSource(
            String name, MigratorProperties.Set set, ObjectProvider<DataSource> dataSource, ListableBeanFactory beans) {
        if (StringUtils.hasText(set.getUrl())) {
            return DataSourceBuilder.create()
                    .type(SimpleDriverDataSource.class)
                    .url(set.getUrl())
                    .username(set.getUser())
                    .password(set.getPassword())
                    .build();
        }
        DataSource base;
        if (StringUtils.hasText(set.getDataSource())) {
            if (!beans.containsBean(set.getDataSource())) {
                throw new MigratorException(
                        ErrorCode.CONFIGURATION,
                        "Invalid value '" + set.getDataSource() + "' for 'migrator.sets." + name
                                + ".data-source': there is no such bean.",
                        "Name a DataSource bean, or set migrator.sets." + name + ".url.",
                        null);
            }
            base = beans.getBean(set.getDataSource(), DataSource.class);
        } else {
            base = dataSource.getIfUnique();
            if (base == null) {
                throw new IllegalStateException("migrator found no unique DataSource for migration set '" + name
                        + "': define one DataSource, mark one @Primary, or set migrator.sets." + name + ".url");
            }
        }
        if (StringUtils.hasText(set.getUser())) {
            return DataSourceBuilder.derivedFrom(base)
                    .type(SimpleDriverDataSource.class)
                    .username(set.getUser())
                    .password(set.getPassword())
                    .build();
        }
        return base;
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
    MigratorSchemaInitializer migratorSchemaInitializer(MigrationSets sets, MigratorProperties properties) {
        return new MigratorSchemaInitializer(sets, properties.isAutoRun(), properties.getOnPending());
    }

    @Bean
    MigratorDataInitializer migratorDataInitializer(MigrationSets sets, MigratorProperties properties) {
        return new MigratorDataInitializer(sets, properties.isAutoRun(), properties.getOnPending());
    }

    @Bean
    static LazyInitializationExcludeFilter migratorLazyInitializationExcludeFilter() {
        return LazyInitializationExcludeFilter.forBeanTypes(
                MigratorSchemaInitializer.class, MigratorDataInitializer.class, MigratorCommandRunner.class);
    }

    /** Boot's own customizers of its Flyway, kept working on the schema track for a service that switched. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer")
    static class FlywayConfigurationCustomizerConfiguration {

        @Bean
        MigratorCustomizer migratorFlywayConfigurationCustomizers(
                ObjectProvider<FlywayConfigurationCustomizer> customizers) {
            return builder -> builder.schemaCustomizer(
                    flyway -> customizers.orderedStream().forEach(customizer -> customizer.customize(flyway)));
        }
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
                MigrationSets sets,
                MigratorProperties properties,
                MigratorCommandExit exit,
                ObjectProvider<dev.migrator.autoconfigure.generate.EntityModel> entities) {
            return new MigratorCommandRunner(
                            sets,
                            properties.getSet(),
                            java.util.Objects.requireNonNull(properties.getCommand()),
                            properties.getOutput(),
                            exit,
                            System.out)
                    .lint(properties.getLint())
                    .generate(properties.getGenerate(), entities.getIfAvailable());
        }
    }

    /** The entities as Hibernate maps them, for generate and the entity check of tests. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(
            name = {
                "org.hibernate.jpa.boot.spi.Bootstrap",
                "org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean"
            })
    static class EntityModelConfiguration {

        // The entity manager factory is looked up when the model is used: JPA's auto-configuration may come after.
        @Bean
        @ConditionalOnMissingBean
        dev.migrator.autoconfigure.generate.EntityModel migratorEntityModel(
                ObjectProvider<org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean>
                        entityManagerFactory) {
            return dev.migrator.autoconfigure.generate.EntityModel.hibernate(entityManagerFactory::getIfUnique);
        }
    }

    private static DataSource migrationDataSource(
            MigratorProperties properties,
            SpringFlywayProperties.Connection springFlyway,
            @Nullable DataSource migratorDataSource,
            @Nullable DataSource dataSource) {
        if (migratorDataSource != null) {
            return migratorDataSource;
        }
        String url = StringUtils.hasText(properties.getUrl()) ? properties.getUrl() : springFlyway.url();
        String user = StringUtils.hasText(properties.getUser()) ? properties.getUser() : springFlyway.user();
        String password =
                StringUtils.hasText(properties.getUser()) ? properties.getPassword() : springFlyway.password();
        if (StringUtils.hasText(url)) {
            return DataSourceBuilder.create()
                    .type(SimpleDriverDataSource.class)
                    .url(url)
                    .username(user)
                    .password(password)
                    .build();
        }
        if (dataSource == null) {
            throw new IllegalStateException("migrator found no unique DataSource to migrate: define one DataSource,"
                    + " mark one @Primary, or set migrator.url");
        }
        if (StringUtils.hasText(user)) {
            return DataSourceBuilder.derivedFrom(dataSource)
                    .type(SimpleDriverDataSource.class)
                    .username(user)
                    .password(password)
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
