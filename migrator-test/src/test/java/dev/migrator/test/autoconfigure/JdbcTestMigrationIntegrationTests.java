package dev.migrator.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.test.autoconfigure.example.Example;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase.Replace;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A plain {@code @JdbcTest} runs migrator too, through the {@code AutoConfigureDataSourceInitialization} imports, on
 * the application's database once Boot is told not to replace it with an embedded one. Its component scan has no Java
 * migrations, so the backfill D2 does not run.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = Replace.NONE)
class JdbcTestMigrationIntegrationTests {

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
    JdbcClient jdbc;

    @Test
    void bothTracksRanBeforeTheTest() {
        assertThat(jdbc.sql("SELECT current_database()").query(String.class).single())
                .isEqualTo(database.name());
        assertThat(jdbc.sql("SELECT max(version) FROM flyway_schema_history")
                        .query(String.class)
                        .single())
                .isEqualTo("2");
        assertThat(jdbc.sql("SELECT count(*) FROM customer WHERE email_domain IS NULL")
                        .query(Integer.class)
                        .single())
                .isEqualTo(Example.SEEDED_CUSTOMERS);
    }
}
