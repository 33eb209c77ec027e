package dev.migrator.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.migrator.core.MigratorException;
import dev.migrator.test.postgres.TestPostgres;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A migration that fails while the template is built fails the test class with the migration's own error, and leaves
 * no half-migrated template behind.
 */
class MigrationFailureIntegrationTests {

    @Test
    void brokenMigrationFailsTheClassWithItsOwnError() {
        Throwable failure = classFailure(Broken.class);

        assertThat(failure)
                .isInstanceOf(MigratorException.class)
                .hasMessageContaining("V2__broken.sql")
                .hasMessageContaining("syntax error")
                .hasMessageNotContaining("ApplicationContext");
    }

    @Test
    void brokenMigrationLeavesNoTemplateBehind() {
        assertThat(classFailure(BrokenToo.class)).isInstanceOf(MigratorException.class);

        JdbcTemplate admin = new JdbcTemplate(TestPostgres.server().adminDataSource());
        // Incomplete templates whose build lock nobody holds: left behind, not being built by another JVM right now.
        List<String> incomplete = admin
                .queryForList(
                        "SELECT datname FROM pg_database WHERE datname LIKE 'migrator\\_tpl\\_%' AND"
                                + " coalesce(shobj_description(oid, 'pg_database'), '')"
                                + " NOT LIKE 'migrator-test template complete%'",
                        String.class)
                .stream()
                .filter(template -> admin.queryForObject(
                                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = ?"
                                        + " AND objid = ? AND objsubid = 2",
                                Integer.class,
                                0x6d747374L,
                                (long) (template.hashCode() & Integer.MAX_VALUE))
                        == 0)
                .toList();
        assertThat(incomplete).isEmpty();
    }

    private static Throwable classFailure(Class<?> testClass) {
        List<Event> failures = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testClass))
                .execute()
                .containerEvents()
                .failed()
                .list();
        assertThat(failures).hasSize(1);
        TestExecutionResult result =
                failures.get(0).getPayload(TestExecutionResult.class).orElseThrow();
        return result.getThrowable().orElseThrow();
    }

    @MigratorTest(properties = "migrator.schema.locations=classpath:example/broken")
    static class Broken {

        @Test
        void neverRuns() {}
    }

    /**
     * A context of its own: Spring does not try again to load a context that failed, it reports the failure threshold
     * instead.
     */
    @MigratorTest(properties = {"migrator.schema.locations=classpath:example/broken", "logging.level.example=INFO"})
    static class BrokenToo {

        @Test
        void neverRuns() {}
    }
}
