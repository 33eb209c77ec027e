package dev.migrator.autoconfigure.startup;

import dev.migrator.autoconfigure.MigratorProperties.OnPending;
import dev.migrator.autoconfigure.operations.MigrationSets;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Track;
import dev.migrator.core.TrackStatus;
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

    private final MigrationSets sets;

    private final boolean autoRun;

    private final OnPending onPending;

    /**
     * Create an initializer.
     *
     * @param sets the migration sets, run in order
     * @param autoRun whether to apply pending migrations
     * @param onPending what to do with pending migrations when not applying them
     */
    public MigratorSchemaInitializer(MigrationSets sets, boolean autoRun, OnPending onPending) {
        this.sets = sets;
        this.autoRun = autoRun;
        this.onPending = onPending;
    }

    @Override
    public void afterPropertiesSet() {
        for (MigratorOperations set : this.sets.all()) {
            if (this.autoRun) {
                set.migrateSchemaAtStartup();
            } else if (this.onPending != OnPending.IGNORE) {
                // Startup may wait for the database (migrator.connect-retries); reads alone do not.
                set.migrator().awaitDatabase();
                PendingWork.check(set.name(), Track.SCHEMA, status(set), this.onPending);
            }
        }
    }

    private static TrackStatus status(MigratorOperations set) {
        try {
            return set.migrator().schemaStatus();
        } catch (MigratorException ex) {
            throw set.named(ex);
        }
    }
}
