package dev.migrator.autoconfigure;

import dev.migrator.autoconfigure.startup.MigratorOffReporter;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.env.Environment;

/**
 * Active when migrator is enabled but has no database to migrate (no {@code DataSource} bean, no
 * {@code migrator.url}): says so at startup instead of backing off in silence, and fails when
 * {@code spring.datasource.url} was set but produced no {@code DataSource}, or in command mode,
 * whose exit code must not say a job succeeded that did nothing.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = MigratorAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "migrator.enabled", matchIfMissing = true)
@Conditional(MigratorOffAutoConfiguration.NoMigrationDataSourceCondition.class)
public final class MigratorOffAutoConfiguration {

    @Bean
    static MigratorOffReporter migratorOffReporter(Environment environment) {
        return new MigratorOffReporter(
                environment.getProperty("spring.datasource.url"), environment.getProperty("migrator.command"));
    }

    static final class NoMigrationDataSourceCondition extends NoneNestedConditions {

        NoMigrationDataSourceCondition() {
            super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(DataSource.class)
        private static final class DataSourceBeanCondition {}

        @ConditionalOnProperty("migrator.url")
        private static final class MigratorUrlCondition {}
    }
}
