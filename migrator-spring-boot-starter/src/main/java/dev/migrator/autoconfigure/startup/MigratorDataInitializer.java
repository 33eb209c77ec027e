package dev.migrator.autoconfigure.startup;

import dev.migrator.autoconfigure.MigratorProperties.OnPending;
import dev.migrator.autoconfigure.operations.MigrationSets;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Track;
import dev.migrator.core.TrackStatus;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Runs the data track once every singleton exists and before the web server starts, so that Java
 * data migrations may use application beans. With auto-run off it only reads the data status and
 * follows {@code migrator.on-pending}.
 *
 * @since 0.1.0
 */
public class MigratorDataInitializer implements SmartInitializingSingleton {

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
    public MigratorDataInitializer(MigrationSets sets, boolean autoRun, OnPending onPending) {
        this.sets = sets;
        this.autoRun = autoRun;
        this.onPending = onPending;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (MigratorOperations set : this.sets.all()) {
            if (!set.migrator().settings().dataEnabled()) {
                if (this.autoRun) {
                    set.finishStartupWithoutData();
                }
            } else if (this.autoRun) {
                set.migrateDataAtStartup();
            } else if (this.onPending != OnPending.IGNORE) {
                PendingWork.check(set.name(), Track.DATA, status(set), this.onPending);
            }
        }
    }

    private static TrackStatus status(MigratorOperations set) {
        try {
            return set.migrator().status().data();
        } catch (MigratorException ex) {
            throw set.named(ex);
        }
    }
}
