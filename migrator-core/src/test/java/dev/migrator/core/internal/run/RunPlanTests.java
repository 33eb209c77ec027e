package dev.migrator.core.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.internal.data.ResolvedDataMigration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

/** The order of a run, decided without a database. */
class RunPlanTests {

    private static final List<MigrationVersion> SCHEMA_1_TO_4 = versions("1", "2", "3", "4");

    @Test
    void afterSchemaRunsTheWholeSchemaFirstThenVersionedThenRepeatableDataMigrations() {
        RunPlan plan = RunPlan.of(
                false, true, Optional.empty(), SCHEMA_1_TO_4, List.of(data("1"), data("2"), repeatable("cities")));

        assertThat(describe(plan)).containsExactly("schema to target", "data 1 on 4", "data 2 on 4", "data R on 4");
        assertThat(plan.waiting()).isEmpty();
    }

    @Test
    void aDataPhaseAloneRunsOnTheCurrentSchema() {
        RunPlan plan = RunPlan.of(false, false, version("3"), List.of(), List.of(data("1")));

        assertThat(describe(plan)).containsExactly("data 1 on 3");
    }

    @Test
    void aMigrationPinnedAboveTheReachableSchemaWaitsAndSoDoesEverythingAfterIt() {
        RunPlan plan = RunPlan.of(
                false,
                true,
                Optional.empty(),
                versions("1", "2"),
                List.of(data("1"), pinned("2", "3"), data("3"), repeatable("cities")));

        assertThat(describe(plan)).containsExactly("schema to target", "data 1 on 2", "data R on 2");
        assertThat(plan.waiting())
                .extracting(ResolvedDataMigration::script)
                .containsExactly("D2__pinned.sql", "D3__m.sql");
    }

    @Test
    void byVersionStepsTheSchemaUpToEachDataMigrationsVersion() {
        RunPlan plan = RunPlan.of(
                true, true, version("1"), SCHEMA_1_TO_4, List.of(data("2"), data("2.5"), data("4"), repeatable("c")));

        assertThat(describe(plan))
                .containsExactly(
                        "schema to 2",
                        "data 2 on 2",
                        "data 2.5 on 2",
                        "schema to 4",
                        "data 4 on 4",
                        "schema to target",
                        "data R on 4");
    }

    @Test
    void byVersionRunsAPinnedMigrationAfterTheSchemaVersionItNames() {
        RunPlan plan = RunPlan.of(true, true, Optional.empty(), SCHEMA_1_TO_4, List.of(pinned("1", "3")));

        assertThat(describe(plan)).containsExactly("schema to 3", "data 1 on 3", "schema to target");
    }

    @Test
    void byVersionDataMigrationsBelowTheFirstSchemaVersionRunBeforeAnySchemaStep() {
        RunPlan plan = RunPlan.of(true, true, Optional.empty(), versions("2", "3"), List.of(data("1")));

        assertThat(describe(plan)).containsExactly("data 1 on none", "schema to target");
    }

    private static List<String> describe(RunPlan plan) {
        return plan.steps().stream()
                .map(step -> {
                    if (step instanceof RunPlan.SchemaTo schemaTo) {
                        return "schema to "
                                + schemaTo.version()
                                        .map(MigrationVersion::getVersion)
                                        .orElse("target");
                    }
                    RunPlan.ApplyData apply = (RunPlan.ApplyData) step;
                    return "data " + apply.migration().versionText().orElse("R") + " on "
                            + apply.schemaVersion()
                                    .map(MigrationVersion::getVersion)
                                    .orElse("none");
                })
                .toList();
    }

    private static Optional<MigrationVersion> version(String version) {
        return Optional.of(MigrationVersion.fromVersion(version));
    }

    private static List<MigrationVersion> versions(String... versions) {
        return Stream.of(versions).map(MigrationVersion::fromVersion).toList();
    }

    private static ResolvedDataMigration data(String version) {
        return migration(Optional.of(version), "D" + version + "__m.sql", Optional.empty());
    }

    private static ResolvedDataMigration pinned(String version, String afterSchema) {
        return migration(Optional.of(version), "D" + version + "__pinned.sql", Optional.of(afterSchema));
    }

    private static ResolvedDataMigration repeatable(String description) {
        return migration(Optional.empty(), "R__" + description + ".sql", Optional.empty());
    }

    private static ResolvedDataMigration migration(
            Optional<String> version, String script, Optional<String> afterSchema) {
        return new ResolvedDataMigration(
                version.map(MigrationVersion::fromVersion),
                "m",
                script,
                version.isPresent() ? "SQL" : "SQL_REPEATABLE",
                Optional.of(1),
                true,
                afterSchema.map(MigrationVersion::fromVersion),
                Optional.empty(),
                Optional.empty());
    }
}
