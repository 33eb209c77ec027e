package dev.migrator.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.Migrator;
import dev.migrator.test.autoconfigure.example.Example;
import dev.migrator.test.autoconfigure.example.GreetingService;
import dev.migrator.test.internal.DatabaseTemplates;
import dev.migrator.test.postgres.TestPostgres;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** What a {@code @MigratorTest} context holds, and the database under it. */
@MigratorTest
class MigratorTestIntegrationTests {

    @Autowired
    ApplicationContext context;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Test
    void contextHoldsJdbcMigratorAndTesterButNoApplicationService() {
        assertThat(context.getBeanNamesForType(JdbcTemplate.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(Migrator.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(MigrationTester.class)).hasSize(1);
        assertThat(context.getBeanNamesForType(GreetingService.class)).isEmpty();
        assertThat(dataSource).isInstanceOf(ContextDataSource.class);
    }

    @Test
    void databaseIsACloneMigratedByBothTracksIncludingJavaMigrations() {
        assertThat(jdbc.sql("SELECT current_database()").query(String.class).single())
                .startsWith(DatabaseTemplates.CLONE_PREFIX);
        assertThat(jdbc.sql("SELECT max(version) FROM flyway_schema_history")
                        .query(String.class)
                        .single())
                .isEqualTo("2");
        assertThat(jdbc.sql("SELECT email_domain FROM customer ORDER BY id")
                        .query(String.class)
                        .list())
                .hasSize(Example.SEEDED_CUSTOMERS)
                .containsExactly("example.com", "example.org");
    }

    @Test
    void databaseServerIsTheOneOfThisJvm() {
        assertThat(context.getBean(ContextDatabase.class).toString()).contains(DatabaseTemplates.TEMPLATE_PREFIX);
        assertThat(jdbc.sql("SELECT current_setting('port')")
                        .query(String.class)
                        .single())
                .isEqualTo(port(TestPostgres.server().adminDataSource()));
    }

    @Test
    void eachTestRunsInATransaction() {
        assertThat(TransactionSynchronizationManager.isActualTransactionActive())
                .isTrue();
    }

    private static String port(DataSource dataSource) {
        return new JdbcTemplate(dataSource).queryForObject("SELECT current_setting('port')", String.class);
    }
}
