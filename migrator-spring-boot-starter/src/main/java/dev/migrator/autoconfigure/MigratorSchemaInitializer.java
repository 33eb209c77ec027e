package dev.migrator.autoconfigure;

import dev.migrator.autoconfigure.MigratorProperties.OnPending;
import dev.migrator.core.Migrator;
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
            this.migrator.migrateSchema();
        } else if (this.onPending != OnPending.IGNORE) {
            PendingWork.check("schema", this.migrator.schemaStatus(), this.onPending);
        }
    }
}
