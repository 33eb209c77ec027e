package dev.migrator.autoconfigure;

import dev.migrator.autoconfigure.MigratorProperties.OnPending;
import dev.migrator.core.Migrator;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Runs the data track once every singleton exists and before the web server starts, so that Java
 * data migrations may use application beans. With auto-run off it only reads the data status and
 * follows {@code migrator.on-pending}.
 *
 * @since 0.1.0
 */
public class MigratorDataInitializer implements SmartInitializingSingleton {

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
    public MigratorDataInitializer(Migrator migrator, boolean autoRun, OnPending onPending) {
        this.migrator = migrator;
        this.autoRun = autoRun;
        this.onPending = onPending;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!this.migrator.settings().dataEnabled()) {
            return;
        }
        if (this.autoRun) {
            this.migrator.migrateData();
        } else if (this.onPending != OnPending.IGNORE) {
            PendingWork.check("data", this.migrator.status().data(), this.onPending);
        }
    }
}
