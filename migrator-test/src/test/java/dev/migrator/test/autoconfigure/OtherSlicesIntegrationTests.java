package dev.migrator.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.test.autoconfigure.example.Example;
import dev.migrator.test.autoconfigure.example.GreetingService;
import dev.migrator.test.internal.DatabaseTemplates;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase.Replace;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Other slices: migrator runs in a plain {@code @DataJpaTest}, and {@code @AutoConfigureMigratorTest} works in others. */
class OtherSlicesIntegrationTests {

    /** Migrator's entry in {@code AutoConfigureDataSourceInitialization}: the application's database is migrated. */
    @Nested
    @DataJpaTest
    @AutoConfigureTestDatabase(replace = Replace.NONE)
    class PlainDataJpaTest {

        private static final FreshDatabase database = TestPostgres.server().createDatabase();

        @DynamicPropertySource
        static void database(DynamicPropertyRegistry registry) {
            registry.add("spring.datasource.url", database::jdbcUrl);
            registry.add("spring.datasource.username", database::username);
            registry.add("spring.datasource.password", database::password);
        }

        @AfterAll
        static void dropDatabase() {
            database.close();
        }

        @Autowired
        EntityManager entityManager;

        @Test
        void migrationsRanBeforeJpa() {
            assertThat(entityManager
                            .createNativeQuery("SELECT count(*) FROM customer")
                            .getSingleResult())
                    .isEqualTo((long) Example.SEEDED_CUSTOMERS);
            assertThat(entityManager
                            .createNativeQuery("SELECT current_database()")
                            .getSingleResult())
                    .isEqualTo(database.name());
        }
    }

    /** A fresh clone under a {@code @DataJpaTest}, which then runs the Java migrations only if it scans them. */
    @Nested
    @DataJpaTest
    @AutoConfigureTestDatabase(replace = Replace.NONE)
    @AutoConfigureMigratorTest
    class DataJpaTestOnAFreshDatabase {

        @Autowired
        EntityManager entityManager;

        @Test
        void databaseIsAMigratedClone() {
            assertThat((String) entityManager
                            .createNativeQuery("SELECT current_database()")
                            .getSingleResult())
                    .startsWith(DatabaseTemplates.CLONE_PREFIX);
            assertThat(entityManager
                            .createNativeQuery("SELECT count(*) FROM customer")
                            .getSingleResult())
                    .isEqualTo((long) Example.SEEDED_CUSTOMERS);
        }
    }

    /** The whole application, on a fresh clone. */
    @Nested
    @SpringBootTest
    @AutoConfigureMigratorTest
    class WholeApplicationOnAFreshDatabase {

        @Autowired
        ApplicationContext context;

        @Autowired
        JdbcClient jdbc;

        @Test
        void applicationBeansAndAFullyMigratedClone() {
            assertThat(context.getBeanNamesForType(GreetingService.class)).hasSize(1);
            assertThat(jdbc.sql("SELECT current_database()").query(String.class).single())
                    .startsWith(DatabaseTemplates.CLONE_PREFIX);
            assertThat(jdbc.sql("SELECT email_domain FROM customer ORDER BY id")
                            .query(String.class)
                            .list())
                    .containsExactly("example.com", "example.org");
        }
    }
}
