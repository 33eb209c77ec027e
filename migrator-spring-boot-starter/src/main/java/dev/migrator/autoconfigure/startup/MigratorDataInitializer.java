package dev.migrator.autoconfigure.startup;

import dev.migrator.autoconfigure.MigratorProperties.OnPending;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import dev.migrator.core.Track;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Runs the data track once every singleton exists and before the web server starts, so that Java
 * data migrations may use application beans. With auto-run off it only reads the data status and
 * follows {@code migrator.on-pending}.
 *
 * @since 0.1.0
 */
public class MigratorDataInitializer implements SmartInitializingSingleton {

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
    public MigratorDataInitializer(MigratorOperations operations, boolean autoRun, OnPending onPending) {
        this.operations = operations;
        this.autoRun = autoRun;
        this.onPending = onPending;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!this.operations.migrator().settings().dataEnabled()) {
            if (this.autoRun) {
                this.operations.finishStartupWithoutData();
            }
            return;
        }
        if (this.autoRun) {
            this.operations.migrateDataAtStartup();
        } else if (this.onPending != OnPending.IGNORE) {
            PendingWork.check(Track.DATA, this.operations.migrator().status().data(), this.onPending);
        }
    }
}
