package dev.migrator.autoconfigure.startup;

import java.util.Set;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;

/**
 * Marks {@link MigratorSchemaInitializer} as a database initializer, so that beans that use the
 * database are created after it.
 */
class MigratorDatabaseInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Set.of(MigratorSchemaInitializer.class);
    }

    @Override
    public int getOrder() {
        // The slot of Boot's Flyway initializer: before SQL script initialization.
        return 1;
    }
}
