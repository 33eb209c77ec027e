package dev.migrator.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's table of rules lists every rule, with its name as directives write it. */
class RulesDocumentedTests {

    @Test
    void everyRuleHasARowInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (Rule rule : Rule.values()) {
            assertThat(readme).as("README row of %s", rule).contains("| `" + rule.id() + "` | ");
        }
        assertThat(readme).contains("(" + Rule.values().length + " rules,");
    }
}
