package dev.migrator.test.autoconfigure;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * With {@code @MigratorTest(checkEntities = true)}: once the context is ready (its database migrated, JPA started),
 * checks that the entities match the migrations, and fails the context otherwise.
 */
final class EntityCheck implements ApplicationListener<ContextRefreshedEvent> {

    /** The property that turns the check on. */
    static final String CHECK = "migrator.test.entities.check";

    private static final Logger logger = LoggerFactory.getLogger(EntityCheck.class);

    private final MigrationTester tester;

    EntityCheck(MigrationTester tester) {
        this.tester = tester;
    }

    @Override
    public void onApplicationEvent(ContextRefreshedEvent event) {
        this.tester.assertEntitiesMatchMigrations();
        logger.info("Entity check of the test database: the entities match the migrations");
    }
}
