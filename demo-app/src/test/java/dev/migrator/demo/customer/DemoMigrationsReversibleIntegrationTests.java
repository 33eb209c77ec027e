package dev.migrator.demo.customer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.test.autoconfigure.MigratorTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every migration of the demo has an undo, and building the test template proves each one: with
 * {@code checkUndo}, the template build applies, undoes and applies again every migration of both
 * tracks on a scratch database, and fails this class if an undo does not restore the catalog (and,
 * for the data migrations, the rows). With {@code checkEntities}, the context also checks that the JPA entities
 * match the migrated schema, the way a service's own test suite would.
 */
@MigratorTest(checkUndo = true, checkEntities = true, properties = "demo.seed.customers=3")
@Import(EmailDomains.class)
class DemoMigrationsReversibleIntegrationTests {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    dev.migrator.test.autoconfigure.MigrationTester tester;

    @Test
    void theEntitiesMatchTheMigrations() {
        this.tester.assertEntitiesMatchMigrations();
    }

    @Test
    void theTemplateIsBuiltAfterTheUndoCheck() {
        assertThat(jdbc.sql("SELECT count(*) FROM customer WHERE email_domain IS NOT NULL")
                        .query(Long.class)
                        .single())
                .isEqualTo(3);
    }
}
