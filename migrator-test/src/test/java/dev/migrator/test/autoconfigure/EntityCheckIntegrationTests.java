package dev.migrator.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.migrator.test.autoconfigure.entities.Customer;
import jakarta.persistence.EntityManager;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase.Replace;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The entity check, the {@code alembic check} of this stack: {@link Customer} maps both example migrations, so it
 * matches at the latest version and not at version 1, which lacks {@code email_domain}.
 */
class EntityCheckIntegrationTests {

    @Nested
    @DataJpaTest
    @AutoConfigureTestDatabase(replace = Replace.NONE)
    @AutoConfigureMigratorTest
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    class InADataJpaTest {

        @Autowired
        MigrationTester tester;

        @Autowired
        EntityManager entityManager;

        @Test
        void entitiesThatMapEveryMigrationMatch() {
            this.tester.assertEntitiesMatchMigrations();
            assertThat(this.entityManager.find(Customer.class, 1L)).isNotNull();
        }
    }

    @Nested
    @DataJpaTest(properties = {"migrator.schema.target=1", "migrator.data.enabled=false"})
    @AutoConfigureTestDatabase(replace = Replace.NONE)
    @AutoConfigureMigratorTest
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    class InADataJpaTestOneMigrationBehind {

        @Autowired
        MigrationTester tester;

        @Test
        void aMissingColumnFailsWithTheStatementHibernateWouldRun() {
            assertThatExceptionOfType(AssertionError.class)
                    .isThrownBy(this.tester::assertEntitiesMatchMigrations)
                    .withMessageContaining("The entities do not match the migrations")
                    .withMessageContaining("(schema version 1)")
                    .withMessageContaining("alter table if exists customer add column email_domain varchar(255);")
                    .withMessageContaining("--migrator.command=generate");
        }
    }

    @Test
    void checkEntitiesPassesWhenTheEntitiesMatch() {
        assertThat(failures(Matching.class)).isEmpty();
    }

    @Test
    void checkEntitiesFailsTheClassWhenAMigrationIsMissing() {
        List<Throwable> failures = failures(MissingMigration.class);

        assertThat(failures).isNotEmpty();
        Throwable cause = failures.get(0);
        while (cause.getCause() != null && !(cause instanceof AssertionError)) {
            cause = cause.getCause();
        }
        assertThat(cause)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("alter table if exists customer add column email_domain varchar(255);");
    }

    @Test
    void withoutEntitiesTheTesterSaysWhatToUse() {
        MigrationTester tester = MigrationTester.of(dev.migrator.core.Migrator.configure(
                        dev.migrator.test.postgres.TestPostgres.server().adminDataSource())
                .load());

        assertThatExceptionOfType(IllegalStateException.class)
                .isThrownBy(tester::assertEntitiesMatchMigrations)
                .withMessageContaining("There are no JPA entities to compare with the migrations")
                .withMessageContaining("@MigratorTest(checkEntities = true)");
    }

    private static List<Throwable> failures(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testClass))
                .execute()
                .allEvents()
                .failed()
                .stream()
                .map(event -> event.getPayload(TestExecutionResult.class)
                        .orElseThrow()
                        .getThrowable()
                        .orElseThrow())
                .toList();
    }

    @MigratorTest(checkEntities = true)
    static class Matching {

        @Autowired
        EntityManager entityManager;

        @Test
        void jpaIsInTheSlice() {
            assertThat(this.entityManager.find(Customer.class, 1L)).isNotNull();
        }
    }

    @MigratorTest(checkEntities = true, schemaTarget = "1", properties = "migrator.data.enabled=false")
    static class MissingMigration {

        @Test
        void neverRuns() {}
    }
}
