package dev.migrator.autoconfigure;

import dev.migrator.autoconfigure.MigratorProperties.OnPending;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigrationEntry;
import dev.migrator.core.MigrationStatus;
import dev.migrator.core.Migrator;
import dev.migrator.core.MigratorException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Brings the schema up to date when the context starts, as a database initializer: JPA,
 * {@code JdbcTemplate}, {@code JdbcClient} and {@code @DependsOnDatabaseInitialization} beans are
 * created after it. With auto-run off it only reads the status and follows
 * {@code migrator.on-pending}.
 *
 * @since 0.1.0
 */
public class MigratorSchemaInitializer implements InitializingBean {

    private static final Logger logger = LoggerFactory.getLogger(MigratorSchemaInitializer.class);

    private final Migrator migrator;

    private final boolean autoRun;

    private final OnPending onPending;

    /**
     * Create an initializer.
     *
     * @param migrator the migrator to run
     * @param autoRun whether to apply pending migrations
     * @param onPending what to do with pending migrations when not applying them
     */
    public MigratorSchemaInitializer(Migrator migrator, boolean autoRun, OnPending onPending) {
        this.migrator = migrator;
        this.autoRun = autoRun;
        this.onPending = onPending;
    }

    @Override
    public void afterPropertiesSet() {
        if (this.autoRun) {
            this.migrator.migrate();
            return;
        }
        if (this.onPending == OnPending.IGNORE) {
            return;
        }
        MigrationStatus status = this.migrator.status();
        if (status.isUpToDate()) {
            logger.info("Database is up to date ({}); migrator.auto-run is off", status.revision());
            return;
        }
        String pending = status.schema().pending().stream()
                .map(MigrationEntry::displayName)
                .collect(Collectors.joining("', '", "'", "'"));
        String failed = status.schema().failed().stream()
                .map(MigrationEntry::displayName)
                .collect(Collectors.joining("', '", "'", "'"));
        String description = "Database at " + status.revision() + " is not up to date and migrator.auto-run is off: "
                + (status.schema().pending().isEmpty() ? "" : "pending schema migrations " + pending)
                + (status.schema().failed().isEmpty() ? "" : " failed schema migrations " + failed)
                + ".";
        String action = "Apply them (start once with migrator.auto-run=true, or run the migration job), or set"
                + " migrator.on-pending=warn to start anyway.";
        if (this.onPending == OnPending.FAIL) {
            throw new MigratorException(ErrorCode.PENDING, description, action, null);
        }
        logger.warn("{} {}", description, action);
    }
}
