package dev.migrator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The order of migration sets and the checks of their names, without a database. */
class MigrationSetOrderTests {

    @Test
    void theDefaultSetRunsFirstThenTheOthersInDeclarationOrder() {
        assertThat(MigrationSetOrder.order(sets("scheduler", List.of(), "audit", List.of())))
                .containsExactly("default", "scheduler", "audit");
    }

    @Test
    void aSetRunsAfterTheSetsItDependsOn() {
        assertThat(MigrationSetOrder.order(sets("reports", List.of("audit"), "audit", List.of("default"))))
                .containsExactly("default", "audit", "reports");
    }

    @Test
    void aCycleIsRefusedNamingIt() {
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> MigrationSetOrder.order(sets("a", List.of("b"), "b", List.of("a"))))
                .satisfies(ex -> assertThat(ex.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .withMessageContaining("in a cycle: 'a -> b -> a'")
                .withMessageContaining("depends-on");
    }

    @Test
    void anUnknownSetInDependsOnIsRefusedNamingThePropertyAndTheSets() {
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> MigrationSetOrder.order(sets("reports", List.of("audits"), "audit", List.of())))
                .withMessageContaining("Invalid value 'audits' for 'migrator.sets.reports.depends-on'")
                .withMessageContaining("'default', 'reports', 'audit'");
    }

    @Test
    void aNameThatIsNotAPlainPropertyKeyIsRefused() {
        for (String name : List.of("Scheduler", "my_set", "-a", "default", "a--b")) {
            assertThatExceptionOfType(MigratorException.class)
                    .isThrownBy(() -> MigrationSetOrder.order(sets(name, List.of())))
                    .withMessageContaining("Invalid migration set name '" + name + "' in 'migrator.sets." + name + "'");
        }
    }

    private static Map<String, List<String>> sets(Object... namesAndDependencies) {
        Map<String, List<String>> sets = new LinkedHashMap<>();
        for (int i = 0; i < namesAndDependencies.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> dependsOn = (List<String>) namesAndDependencies[i + 1];
            sets.put((String) namesAndDependencies[i], dependsOn);
        }
        return sets;
    }
}
