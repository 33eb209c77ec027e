package dev.migrator.autoconfigure;

import dev.migrator.autoconfigure.operations.MigrationSets;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Decides the order of the migration sets and checks their names; a pure function of the properties. */
final class MigrationSetOrder {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");

    private MigrationSetOrder() {}

    /**
     * Order the named sets: declaration order, moved after the sets they depend on.
     *
     * @param dependsOn each named set, in declaration order, with the sets it depends on
     * @return the set names in run order, the default set first
     * @throws MigratorException for a malformed name, an unknown set in depends-on, or a cycle
     */
    static List<String> order(Map<String, List<String>> dependsOn) {
        for (String name : dependsOn.keySet()) {
            if (!NAME.matcher(name).matches() || MigrationSets.DEFAULT.equals(name)) {
                throw new MigratorException(
                        ErrorCode.CONFIGURATION,
                        "Invalid migration set name '" + name + "' in 'migrator.sets." + name + "'.",
                        "Use lower-case letters and digits, with single '-' between words (such as 'scheduler' or"
                                + " 'audit-log'), and not 'default', which names the top-level set.",
                        null);
            }
            for (String other : dependsOn.get(name)) {
                if (!other.equals(MigrationSets.DEFAULT) && !dependsOn.containsKey(other)) {
                    throw new MigratorException(
                            ErrorCode.CONFIGURATION,
                            "Invalid value '" + other + "' for 'migrator.sets." + name
                                    + ".depends-on': there is no migration set '" + other + "'.",
                            "Name one of " + names(dependsOn) + ".",
                            null);
                }
            }
        }
        LinkedHashSet<String> ordered = new LinkedHashSet<>();
        ordered.add(MigrationSets.DEFAULT);
        for (String name : dependsOn.keySet()) {
            visit(name, dependsOn, ordered, new ArrayList<>());
        }
        return List.copyOf(ordered);
    }

    private static void visit(
            String name, Map<String, List<String>> dependsOn, LinkedHashSet<String> ordered, List<String> path) {
        if (ordered.contains(name)) {
            return;
        }
        if (path.contains(name)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
            cycle.add(name);
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "The migration sets depend on each other in a cycle: '" + String.join(" -> ", cycle) + "'"
                            + " (migrator.sets." + name + ".depends-on).",
                    "Remove one of these dependencies.",
                    null);
        }
        path.add(name);
        for (String other : dependsOn.get(name)) {
            if (!other.equals(MigrationSets.DEFAULT)) {
                visit(other, dependsOn, ordered, path);
            }
        }
        path.remove(path.size() - 1);
        ordered.add(name);
    }

    private static String names(Map<String, List<String>> dependsOn) {
        List<String> names = new ArrayList<>();
        names.add("'" + MigrationSets.DEFAULT + "'");
        dependsOn.keySet().forEach(name -> names.add("'" + name + "'"));
        return String.join(", ", names);
    }
}
