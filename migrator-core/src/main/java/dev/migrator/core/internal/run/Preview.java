package dev.migrator.core.internal.run;

import dev.migrator.core.MigrationEntry;
import dev.migrator.core.PreviewStep;
import dev.migrator.core.Track;
import dev.migrator.core.internal.analysis.Analyzer;
import dev.migrator.core.internal.data.ResolvedDataMigration;
import dev.migrator.core.internal.data.SqlScript;
import dev.migrator.core.internal.resource.ResourceScanner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.flywaydb.core.api.MigrationVersion;

/** Renders a plan as the steps a run would take, with the SQL of each SQL migration as written. */
public final class Preview {

    private static final java.util.regex.Pattern CONCURRENTLY =
            java.util.regex.Pattern.compile("(?i)\\bCONCURRENTLY\\b");

    private Preview() {}

    /**
     * Render the steps of a plan.
     *
     * @param plan the plan
     * @param schemaPending the pending schema migrations, in order
     * @param scanner reads the schema scripts
     * @param schemaLocations where the schema scripts are
     * @return the steps in the order the run would take them
     */
    public static List<PreviewStep> steps(
            RunPlan plan, List<MigrationEntry> schemaPending, ResourceScanner scanner, List<String> schemaLocations) {
        Map<String, String> scripts = scanner.readAll(schemaLocations, ".sql");
        List<MigrationEntry> remaining = new ArrayList<>(schemaPending);
        List<PreviewStep> steps = new ArrayList<>();
        for (RunPlan.Step step : plan.steps()) {
            if (step instanceof RunPlan.SchemaTo schemaTo) {
                List<MigrationEntry> due = remaining.stream()
                        .filter(entry -> upTo(entry, schemaTo.version()))
                        .toList();
                due.forEach(entry -> {
                    Optional<String> sql = Optional.ofNullable(scripts.get(entry.script()));
                    steps.add(new PreviewStep(
                            Track.SCHEMA,
                            entry,
                            sql,
                            // Flyway runs a script with a CONCURRENTLY statement outside a transaction.
                            sql.map(text -> Analyzer.statically(
                                            entry.script(),
                                            text,
                                            !CONCURRENTLY.matcher(text).find()))
                                    .orElse(List.of())));
                });
                remaining.removeAll(due);
            } else if (step instanceof RunPlan.ApplyData applyData) {
                ResolvedDataMigration migration = applyData.migration();
                steps.add(new PreviewStep(
                        Track.DATA,
                        migration.entry(),
                        migration
                                .sql()
                                .map(script -> script.statements().stream()
                                        .map(SqlScript.Statement::sql)
                                        .collect(Collectors.joining(";\n", "", ";"))),
                        migration
                                .sql()
                                .map(script -> Analyzer.statically(
                                        migration.script(), script.text(), migration.transactional()))
                                .orElse(List.of())));
            }
        }
        return steps;
    }

    private static boolean upTo(MigrationEntry entry, Optional<MigrationVersion> version) {
        return version.isEmpty()
                || entry.version()
                        .map(v -> MigrationVersion.fromVersion(v).compareTo(version.get()) <= 0)
                        .orElse(false);
    }
}
