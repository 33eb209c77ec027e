package dev.migrator.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A changed migration file gives a new template, so no test runs on a stale one, and an unchanged set reuses its
 * template in another context. The scenarios differ in a logging property only, which gives each a context of its
 * own without changing the key.
 */
class TemplateCacheIntegrationTests {

    /** Relative to the module, where Surefire runs; the scenarios name it in their properties. */
    private static final Path SCHEMA = Path.of("target", "template-cache-it", "schema");

    private static final Map<String, Observation> seen = new ConcurrentHashMap<>();

    @Test
    void changedMigrationFileGivesANewTemplateAndAnUnchangedSetReusesIts() throws IOException {
        Files.createDirectories(SCHEMA);
        Files.writeString(SCHEMA.resolve("V1__create_thing.sql"), "CREATE TABLE thing (id int);");
        run(Original.class);
        Files.writeString(SCHEMA.resolve("V1__create_thing.sql"), "CREATE TABLE thing (id int, name text);");
        run(Changed.class);
        Files.writeString(SCHEMA.resolve("V1__create_thing.sql"), "CREATE TABLE thing (id int);");
        run(OriginalAgain.class);

        Observation original = seen.get("original");
        Observation changed = seen.get("changed");
        Observation again = seen.get("again");
        assertThat(original.columns()).containsExactly("id");
        assertThat(changed.template()).isNotEqualTo(original.template());
        assertThat(changed.columns()).containsExactly("id", "name");
        assertThat(again.context()).isNotSameAs(original.context());
        assertThat(again.template()).isEqualTo(original.template());
        assertThat(again.columns()).containsExactly("id");
    }

    private static void run(Class<?> testClass) {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testClass))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.failed(0).succeeded(1));
    }

    record Observation(ApplicationContext context, String template, List<String> columns) {}

    abstract static class Scenario {

        @Autowired
        ApplicationContext context;

        @Autowired
        JdbcClient jdbc;

        void observe(String name) {
            seen.put(
                    name,
                    new Observation(
                            context,
                            context.getBean(ContextDatabase.class).templateName(),
                            jdbc.sql("SELECT column_name FROM information_schema.columns"
                                            + " WHERE table_name = 'thing' ORDER BY ordinal_position")
                                    .query(String.class)
                                    .list()));
        }
    }

    @MigratorTest(
            properties = {
                "migrator.schema.locations=filesystem:target/template-cache-it/schema",
                "migrator.data.enabled=false",
                "logging.level.scenario=INFO"
            })
    static class Original extends Scenario {

        @Test
        void observes() {
            observe("original");
        }
    }

    @MigratorTest(
            properties = {
                "migrator.schema.locations=filesystem:target/template-cache-it/schema",
                "migrator.data.enabled=false",
                "logging.level.scenario=WARN"
            })
    static class Changed extends Scenario {

        @Test
        void observes() {
            observe("changed");
        }
    }

    @MigratorTest(
            properties = {
                "migrator.schema.locations=filesystem:target/template-cache-it/schema",
                "migrator.data.enabled=false",
                "logging.level.scenario=ERROR"
            })
    static class OriginalAgain extends Scenario {

        @Test
        void observes() {
            observe("again");
        }
    }
}
