package dev.migrator.test.autoconfigure;

import com.zaxxer.hikari.HikariDataSource;
import dev.migrator.autoconfigure.MigratorAutoConfiguration;
import dev.migrator.core.Migrator;
import dev.migrator.core.analysis.FailOn;
import dev.migrator.test.internal.PostgresServer;
import dev.migrator.test.internal.ServerAddress;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Auto-configuration of {@link AutoConfigureMigratorTest}: a {@code DataSource} on a fresh, migrated database that
 * can be replaced under the running context, and a {@link MigrationTester}. Comes before Boot's
 * {@code DataSourceAutoConfiguration}, which then backs off, and before migrator's, which then migrates this
 * {@code DataSource}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(
        before = MigratorAutoConfiguration.class,
        beforeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(Migrator.class)
public final class MigratorTestAutoConfiguration {

    @Bean
    ContextDatabase migratorTestDatabase(
            ConfigurableEnvironment environment,
            ConfigurableListableBeanFactory beanFactory,
            ResourceLoader resourceLoader,
            ObjectProvider<PoolFactory> pools) {
        PostgresServer server = TestServers.choose(environment, beanFactory);
        ClassLoader classLoader = resourceLoader.getClassLoader();
        TemplateKey key = TemplateKey.of(
                environment,
                beanFactory,
                (classLoader != null) ? classLoader : getClass().getClassLoader());
        PoolFactory factory = pools.getIfAvailable(() -> SimplePools.INSTANCE);
        return new ContextDatabase(server, key, address -> factory.open(address, environment));
    }

    @Bean
    TemplateFindings migratorTestTemplateFindings(ContextDatabase database, Environment environment) {
        return new TemplateFindings(
                database, environment.getProperty(TemplateFindings.FAIL_ON, FailOn.class, FailOn.ERROR));
    }

    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty(TemplateUndoCheck.CHECK)
    TemplateUndoCheck migratorTestTemplateUndoCheck(ContextDatabase database, ObjectProvider<Migrator> migrator) {
        return new TemplateUndoCheck(database, migrator);
    }

    @Bean
    @Primary
    DataSource dataSource(ContextDatabase database) {
        return new ContextDataSource(database);
    }

    @Bean
    @ConditionalOnMissingBean
    MigrationTester migrationTester(
            ObjectProvider<Migrator> migrator,
            ObjectProvider<dev.migrator.autoconfigure.generate.EntityModel> entities) {
        return new MigrationTester(migrator::getObject, entities::getIfUnique);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HikariDataSource.class)
    static class HikariPoolConfiguration {

        @Bean
        static PoolFactory migratorTestHikariPools() {
            return HikariPools.INSTANCE;
        }
    }

    /** Opens a connection pool (or a plain data source) on one database. */
    interface PoolFactory {

        DataSource open(ServerAddress address, Environment environment);
    }

    /** A new session for every connection: when no pool library is on the classpath. */
    enum SimplePools implements PoolFactory {
        INSTANCE;

        @Override
        public DataSource open(ServerAddress address, Environment environment) {
            return address.dataSource();
        }
    }

    /**
     * Hikari, opening connections only when asked (a clone that a test class does not use costs no session) and
     * closing them with the pool when the database is replaced.
     */
    enum HikariPools implements PoolFactory {
        INSTANCE;

        @Override
        public DataSource open(ServerAddress address, Environment environment) {
            HikariDataSource pool = new HikariDataSource();
            pool.setPoolName("migrator-test-" + address.database());
            pool.setJdbcUrl(address.jdbcUrl());
            pool.setUsername(address.user());
            pool.setPassword(address.password());
            pool.setMaximumPoolSize(
                    environment.getProperty("spring.datasource.hikari.maximum-pool-size", Integer.class, 10));
            pool.setMinimumIdle(0);
            pool.setInitializationFailTimeout(-1);
            return pool;
        }
    }
}
