package dev.migrator.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code @MigratorTest(checkUndo = true)}: building the template applies, undoes and applies again
 * every migration with an undo on a scratch database, and an undo that does not restore the catalog
 * fails the test class with the migration and the difference.
 */
class TemplateUndoCheckIntegrationTests {

    @Test
    void undoScriptsThatRestoreTheCatalogPass() {
        assertThat(failures(Reversible.class)).isEmpty();
    }

    @Test
    void anUndoThatDoesNotRestoreTheCatalogFailsTheClassWithTheDifference() {
        List<Throwable> failures = failures(Broken.class);

        assertThat(failures).isNotEmpty();
        assertThat(rootCause(failures.get(0)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Migration 'V2__add_note.sql' undone does not leave the database as it was")
                .hasMessageContaining("+ index CREATE INDEX item_name ON public.item USING btree (name)");
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

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof AssertionError)) {
            cause = cause.getCause();
        }
        return cause;
    }

    @MigratorTest(
            checkUndo = true,
            properties = {"migrator.schema.locations=classpath:example/undo", "migrator.data.enabled=false"})
    static class Reversible {

        @Autowired
        JdbcTemplate jdbc;

        @Test
        void theTemplateIsMigrated() {
            assertThat(this.jdbc.queryForObject("SELECT count(*) FROM item", Long.class))
                    .isZero();
        }
    }

    @MigratorTest(
            checkUndo = true,
            properties = {"migrator.schema.locations=classpath:example/undo-broken", "migrator.data.enabled=false"})
    static class Broken {

        @Test
        void neverRuns() {}
    }
}
