package dev.migrator.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.test.internal.DatabaseTemplates;
import dev.migrator.test.postgres.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A {@code @ServiceConnection} container declared by the test is where the template and its clones live, unless an
 * explicit server ({@code MIGRATOR_TEST_JDBC_URL}) comes first. Needs Docker: skipped without it.
 */
@MigratorTest
@Testcontainers(disabledWithoutDocker = true)
class ServiceConnectionIntegrationTests {

    @Container
    @ServiceConnection
    static PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17-alpine");

    @Autowired
    JdbcClient jdbc;

    @Test
    void databaseIsACloneOnTheContainerUnlessAServerIsNamed() {
        assertThat(jdbc.sql("SELECT current_database()").query(String.class).single())
                .startsWith(DatabaseTemplates.CLONE_PREFIX);
        String system = "SELECT system_identifier::text FROM pg_control_system()";
        String here = jdbc.sql(system).query(String.class).single();
        String jvmServer =
                new JdbcTemplate(TestPostgres.server().adminDataSource()).queryForObject(system, String.class);
        boolean named =
                System.getProperty("migrator.test.url") != null || System.getenv("MIGRATOR_TEST_JDBC_URL") != null;
        if (named) {
            assertThat(here).isEqualTo(jvmServer);
        } else {
            assertThat(here).isNotEqualTo(jvmServer);
        }
    }
}
