package dev.migrator.autoconfigure.startup;

import dev.migrator.autoconfigure.MigratorProperties.OnPending;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import dev.migrator.core.Track;
import org.springframework.beans.factory.InitializingBean;

/**
 * Brings the schema up to date when the context starts, as a database initializer: JPA,
 * {@code JdbcTemplate}, {@code JdbcClient} and {@code @DependsOnDatabaseInitialization} beans are
 * created after it. With {@code migrator.data.ordering=by-version} it runs both tracks, merged. With
 * auto-run off it only reads the schema status and follows {@code migrator.on-pending}.
 *
 * @since 0.1.0
 */
public class MigratorSchemaInitializer implements InitializingBean {

    private final MigratorOperations operations;

    private final boolean autoRun;

    private final OnPending onPending;

    /**
     * Create an initializer.
     *
     * @param operations the operations that run migrations
     * @param autoRun whether to apply pending migrations
     * @param onPending what to do with pending migrations when not applying them
     */
    public MigratorSchemaInitializer(MigratorOperations operations, boolean autoRun, OnPending onPending) {
        this.operations = operations;
        this.autoRun = autoRun;
        this.onPending = onPending;
    }

    @Override
    public void afterPropertiesSet() {
        if (this.autoRun) {
            this.operations.migrateSchemaAtStartup();
        } else if (this.onPending != OnPending.IGNORE) {
            // Startup may wait for the database (migrator.connect-retries); reads alone do not.
            this.operations.migrator().awaitDatabase();
            PendingWork.check(Track.SCHEMA, this.operations.migrator().schemaStatus(), this.onPending);
        }
    }
}
