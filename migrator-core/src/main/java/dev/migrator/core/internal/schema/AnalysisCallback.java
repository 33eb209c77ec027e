package dev.migrator.core.internal.schema;

import dev.migrator.core.analysis.Finding;
import dev.migrator.core.analysis.Rule;
import dev.migrator.core.internal.analysis.Allowances;
import dev.migrator.core.internal.analysis.Analyzer;
import dev.migrator.core.internal.data.SqlScript;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.jspecify.annotations.Nullable;

/**
 * Observes each schema migration for the change analysis: the catalog before it (once its
 * allowances are read, so that a wrong directive stops it before it runs) and after it, still in
 * its transaction. The findings of a run are kept by script name for its report.
 */
final class AnalysisCallback extends RunCallback<AnalysisCallback.Run> {

    private final ClassLoader classLoader;

    private final boolean group;

    AnalysisCallback(ClassLoader classLoader, boolean group) {
        super(Set.of(Event.BEFORE_EACH_MIGRATE, Event.AFTER_EACH_MIGRATE, Event.AFTER_EACH_MIGRATE_ERROR));
        this.group = group;
        this.classLoader = classLoader;
    }

    /** The findings of one run, by script file name. */
    static final class Run {

        private final Map<String, List<Finding>> findings = new HashMap<>();

        private final ScriptTexts scripts;

        private Analyzer.@Nullable Before before;

        private Analyzer.@Nullable Session session;

        private java.util.@Nullable Set<org.flywaydb.core.api.MigrationVersion> undoVersions;

        Run(ScriptTexts scripts) {
            this.scripts = scripts;
        }

        List<Finding> of(String script) {
            return this.findings.getOrDefault(script, List.of());
        }
    }

    @Override
    void ended(Run run) {
        if (run.session != null) {
            run.session.close();
        }
    }

    @Override
    void handle(Event event, Context context, Run current) {
        MigrationInfo migration = context.getMigrationInfo();
        if (migration == null) {
            return;
        }
        Connection connection = context.getConnection();
        try {
            if (event == Event.BEFORE_EACH_MIGRATE) {
                before(current, migration, connection);
            } else if (event == Event.AFTER_EACH_MIGRATE && current.before != null) {
                String name = SchemaTrack.fileName(migration.getScript(), migration.getDescription());
                List<Finding> findings = session(current)
                        .observe(current.before, connection, name)
                        .findings();
                current.findings.put(name, findings);
                Analyzer.log(findings);
                current.before = null;
            } else {
                current.before = null;
            }
        } catch (SQLException ex) {
            throw new IllegalStateException("Could not read the catalog for the change analysis", ex);
        }
    }

    private void before(Run current, MigrationInfo migration, Connection connection) throws SQLException {
        boolean transactional = transactional(migration, connection);
        String sql = current.scripts.of(migration.getScript());
        Map<Rule, String> allowed;
        SqlScript script = null;
        if (sql != null) {
            allowed = Allowances.of(SchemaTrack.fileName(migration.getScript(), migration.getDescription()), sql);
            script = Analyzer.parse(migration.getScript(), sql);
        } else {
            allowed = javaAllowances(migration);
        }
        current.before = session(current).before(connection, allowed, script, transactional);
        if (migration.getVersion() != null && !undoVersions(current).contains(migration.getVersion())) {
            current.before.withoutUndo(migration.getVersion().getVersion());
        }
    }

    /** The versions that have an undo script ({@code U<version>__<description>.sql}) in the locations. */
    private java.util.Set<org.flywaydb.core.api.MigrationVersion> undoVersions(Run current) {
        if (current.undoVersions == null) {
            java.util.Set<org.flywaydb.core.api.MigrationVersion> versions = new java.util.HashSet<>();
            for (String path : current.scripts.all().keySet()) {
                java.util.regex.Matcher undo = UNDO.matcher(SchemaTrack.fileName(path, ""));
                if (undo.matches()) {
                    versions.add(org.flywaydb.core.api.MigrationVersion.fromVersion(undo.group(1)));
                }
            }
            current.undoVersions = versions;
        }
        return current.undoVersions;
    }

    private static final java.util.regex.Pattern UNDO =
            java.util.regex.Pattern.compile("U(" + dev.migrator.core.internal.VersionSyntax.REGEX + ")__.+\\.sql");

    /** The observation of this run's migrations: one connection, each in its own transaction unless grouped. */
    private Analyzer.Session session(Run current) {
        if (current.session == null) {
            current.session = new Analyzer.Session(this.group);
        }
        return current.session;
    }

    /** A Java migration's script is its class name. */
    private Map<Rule, String> javaAllowances(MigrationInfo migration) {
        try {
            return Allowances.of(Class.forName(migration.getScript(), false, this.classLoader));
        } catch (ClassNotFoundException | LinkageError ex) {
            return Map.of();
        }
    }

    @Override
    public String getCallbackName() {
        return "migrator-analysis";
    }
}
