package dev.migrator.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Building the template analyses every migration: a finding at or above migrator.test.analysis.fail-on fails the test
 * class with the findings, unless the migration allows it with a reason.
 */
class TemplateFindingsIntegrationTests {

    @Test
    void aFindingAtTheFailOnSeverityFailsTheClassWithTheFindings() {
        List<Event> failures = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(DropsAColumnFailingOnWarnings.class))
                .execute()
                .containerEvents()
                .failed()
                .list();

        assertThat(failures).hasSize(1);
        Throwable failure = failures.get(0)
                .getPayload(TestExecutionResult.class)
                .orElseThrow()
                .getThrowable()
                .orElseThrow();
        assertThat(failure)
                .isInstanceOfSatisfying(
                        MigratorException.class, ex -> assertThat(ex.code()).isEqualTo(ErrorCode.FINDINGS))
                .hasMessageContaining("found 1 finding(s) at or above 'warning'")
                .hasMessageContaining("WARNING drop-column in V2__drop_note.sql on public.item.note")
                .hasMessageContaining("-- migrator:allow <rule> <reason>");
    }

    @Test
    void warningsDoNotFailByDefault() {
        assertPasses(DropsAColumn.class);
    }

    @Test
    void anAllowedFindingDoesNotFail() {
        assertPasses(DropsAColumnWithAReason.class);
    }

    private static void assertPasses(Class<?> testClass) {
        List<Throwable> failures =
                EngineTestKit.engine("junit-jupiter")
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
        assertThat(failures).isEmpty();
    }

    @MigratorTest(
            properties = {
                "migrator.schema.locations=classpath:example/findings",
                "migrator.data.enabled=false",
                "migrator.test.analysis.fail-on=warning"
            })
    static class DropsAColumnFailingOnWarnings {

        @Test
        void neverRuns() {}
    }

    @MigratorTest(properties = {"migrator.schema.locations=classpath:example/findings", "migrator.data.enabled=false"})
    static class DropsAColumn {

        @Autowired
        JdbcTemplate jdbc;

        @Test
        void theColumnIsGone() {
            assertThat(this.jdbc.queryForObject(
                            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'item'", Long.class))
                    .isEqualTo(1);
        }
    }

    @MigratorTest(
            properties = {
                "migrator.schema.locations=classpath:example/findings-allowed",
                "migrator.data.enabled=false",
                "migrator.test.analysis.fail-on=warning"
            })
    static class DropsAColumnWithAReason {

        @Autowired
        JdbcTemplate jdbc;

        @Test
        void theColumnIsGone() {
            assertThat(this.jdbc.queryForObject(
                            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'item'", Long.class))
                    .isEqualTo(1);
        }
    }
}
