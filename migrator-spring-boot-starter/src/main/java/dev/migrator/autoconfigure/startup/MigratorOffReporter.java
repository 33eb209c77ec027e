package dev.migrator.autoconfigure.startup;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Redactor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Says why migrator does nothing when it is on the classpath and enabled but has no database to
 * migrate: no {@code DataSource} bean and no {@code migrator.url}. With
 * {@code spring.datasource.url} set, that is a broken setup rather than a choice, so startup fails.
 *
 * @since 0.1.0
 */
public class MigratorOffReporter implements SmartInitializingSingleton {

    private static final Logger logger = LoggerFactory.getLogger(MigratorOffReporter.class);

    private final @Nullable String dataSourceUrl;

    private final @Nullable String command;

    /**
     * Create a reporter.
     *
     * @param dataSourceUrl the value of {@code spring.datasource.url}, or {@code null} when not set
     * @param command the value of {@code migrator.command}, or {@code null} when not in command mode
     */
    public MigratorOffReporter(@Nullable String dataSourceUrl, @Nullable String command) {
        this.dataSourceUrl = dataSourceUrl;
        this.command = command;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (this.command != null) {
            // A job that exits 0 without migrating would tell the orchestrator that all is well.
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "migrator.command is '" + this.command + "' but there is no database to run it on: the"
                            + " application has no DataSource bean and migrator.url is not set.",
                    "Set spring.datasource.url (with username and password) or migrator.url.",
                    null);
        }
        if (this.dataSourceUrl != null) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "spring.datasource.url is set to '" + Redactor.redact(this.dataSourceUrl)
                            + "' but the application has no DataSource bean, so there is nothing to migrate.",
                    "Keep a connection pool on the classpath (the starter brings HikariCP; do not exclude it), do not"
                            + " exclude DataSourceAutoConfiguration, or set migrator.url to migrate over a"
                            + " connection of its own.",
                    null);
        }
        logger.warn("migrator is on the classpath but migrates nothing: the application has no DataSource bean and"
                + " migrator.url is not set. Set spring.datasource.url (with username and password) to the database"
                + " to migrate, or migrator.url for a connection of migrator's own; set migrator.enabled=false to"
                + " turn migrator off without this warning.");
    }
}
