package dev.migrator.autoconfigure.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.Migrator;
import dev.migrator.core.analysis.Finding;
import dev.migrator.core.analysis.Rule;
import dev.migrator.core.analysis.Severity;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where SARIF results point: classpath scripts and Java migrations under the module's source folders. */
class SarifOutputTests {

    @Test
    void aClasspathScriptAndAJavaMigrationPointIntoTheModuleSources() {
        try (FreshDatabase database = TestPostgres.server().createDatabase()) {
            Migrator migrator = Migrator.configure(database.dataSource())
                    .schemaLocations("classpath:db/sarif")
                    .load();
            SarifOutput sarif = new SarifOutput(getClass().getClassLoader(), SarifOutput.sourceRoot("/orders/"));

            Map<String, Object> run = sarif.run(
                    "default",
                    migrator,
                    List.of(
                            new Finding(
                                    Rule.DROP_TABLE,
                                    Severity.WARNING,
                                    "V1__drop_gone.sql",
                                    "public.gone",
                                    "dropped",
                                    Optional.empty()),
                            new Finding(
                                    Rule.UNBATCHED_DML,
                                    Severity.ERROR,
                                    "com.example.data.D2__Fill$Inner",
                                    "public.account",
                                    "20000 rows updated or deleted in one transaction",
                                    Optional.empty())));

            List<?> results = (List<?>) run.get("results");
            assertThat(artifact(results.get(0)))
                    .containsEntry("uri", "db/sarif/nested/V1__drop_gone.sql")
                    .containsEntry("uriBaseId", "CLASSPATH");
            assertThat(artifact(results.get(1)))
                    .containsEntry("uri", "com/example/data/D2__Fill.java")
                    .containsEntry("uriBaseId", "JAVA_SOURCES");
            assertThat(((Map<?, ?>) results.get(1)).get("level")).isEqualTo("error");
            assertThat(run.get("originalUriBaseIds"))
                    .isEqualTo(Map.of(
                            "CLASSPATH", Map.of("uri", "orders/src/main/resources/"),
                            "JAVA_SOURCES", Map.of("uri", "orders/src/main/java/")));
        }
    }

    @Test
    void theSourceRootIsEmptyOrAFolderWithOneSlash() {
        assertThat(SarifOutput.sourceRoot(null)).isEmpty();
        assertThat(SarifOutput.sourceRoot(" ")).isEmpty();
        assertThat(SarifOutput.sourceRoot("/")).isEmpty();
        assertThat(SarifOutput.sourceRoot("services\\orders")).isEqualTo("services/orders/");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> artifact(Object result) {
        Map<?, ?> location = (Map<?, ?>) ((List<?>) ((Map<?, ?>) result).get("locations")).get(0);
        return (Map<String, Object>) ((Map<?, ?>) location.get("physicalLocation")).get("artifactLocation");
    }
}
