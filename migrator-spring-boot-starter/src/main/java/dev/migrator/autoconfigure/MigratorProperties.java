package dev.migrator.autoconfigure;

import dev.migrator.core.Migrator;
import dev.migrator.core.MigratorConfiguration;
import dev.migrator.core.MigratorSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Configuration properties of migrator, prefix {@code migrator}: how startup and command mode
 * behave, the default migration set at the top level (its keys in {@link MigrationSetProperties})
 * and further sets under {@code migrator.sets.<name>}.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("migrator")
public class MigratorProperties extends MigrationSetProperties {

    /** Whether migrator is active at all. */
    private boolean enabled = true;

    /**
     * Whether startup applies pending migrations. When false, startup only reads the status and
     * follows on-pending.
     */
    private boolean autoRun = true;

    /** What startup does when migrations are pending and auto-run is off. */
    private OnPending onPending = OnPending.WARN;

    /**
     * Command to run instead of serving: the application starts without a web server, runs it,
     * prints the result and exits with its code.
     */
    private @Nullable Command command;

    /** Format of a command's output. */
    private Output output = Output.TEXT;

    /**
     * Migration set a command works on ("default" for the top-level set). When not set, commands
     * work on every set, in order.
     */
    private @Nullable String set;

    /**
     * Further migration sets, each with its own schema and data tracks, history tables, lock and,
     * where needed, connection; the keys mirror the top level. They run after the default set, in
     * the order they are declared unless depends-on says otherwise.
     */
    private final Map<String, Set> sets = new LinkedHashMap<>();

    private final Lint lint = new Lint();

    public Lint getLint() {
        return this.lint;
    }

    private final Generate generate = new Generate();

    public Generate getGenerate() {
        return this.generate;
    }

    /** Settings of the generate command. */
    public static class Generate {

        /** What the change does, for the file name: V<next>__<description>.sql. Letters, digits, '_', '-', '.'. */
        private @Nullable String description;

        /** Print the generated migration instead of writing it into the first filesystem: schema location. */
        private boolean dryRun;

        /** Where the migrations are built to compare the entities with. */
        private BuildOn database = BuildOn.AUTO;

        public @Nullable String getDescription() {
            return this.description;
        }

        public void setDescription(@Nullable String description) {
            this.description = description;
        }

        public boolean isDryRun() {
            return this.dryRun;
        }

        public void setDryRun(boolean dryRun) {
            this.dryRun = dryRun;
        }

        public BuildOn getDatabase() {
            return this.database;
        }

        public void setDatabase(BuildOn database) {
            this.database = database;
        }
    }

    /** Where generate builds the migrations. */
    public enum BuildOn {

        /** On the test server when migrator-test-support is on the classpath, otherwise beside the target. */
        AUTO,

        /**
         * On the server migrator-test-support gives tests: embedded PostgreSQL, or the one MIGRATOR_TEST_JDBC_URL
         * names.
         */
        EMBEDDED,

        /** In a scratch database created beside the target, on its server (needs CREATEDB), dropped afterwards. */
        SCRATCH
    }

    /** Settings of the lint and rehearse commands. */
    public static class Lint {

        /** Which migrations the lint command analyses: pending (by a rehearsal) or all (in a scratch database). */
        private LintScope scope = LintScope.PENDING;

        /** Severity from which a finding that the migration does not allow fails lint and rehearse. */
        private dev.migrator.core.analysis.FailOn failOn = dev.migrator.core.analysis.FailOn.ERROR;

        public LintScope getScope() {
            return this.scope;
        }

        public void setScope(LintScope scope) {
            this.scope = scope;
        }

        /**
         * With output=sarif: the module's folder from the repository root (such as "orders-service/"), so that
         * code scanning finds the scripts under its src/main/resources and src/main/java. Empty when the module is
         * the repository root.
         */
        private String sarifSourceRoot = "";

        public dev.migrator.core.analysis.FailOn getFailOn() {
            return this.failOn;
        }

        public void setFailOn(dev.migrator.core.analysis.FailOn failOn) {
            this.failOn = failOn;
        }

        public String getSarifSourceRoot() {
            return this.sarifSourceRoot;
        }

        public void setSarifSourceRoot(String sarifSourceRoot) {
            this.sarifSourceRoot = sarifSourceRoot;
        }
    }

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isAutoRun() {
        return this.autoRun;
    }

    public void setAutoRun(boolean autoRun) {
        this.autoRun = autoRun;
    }

    public OnPending getOnPending() {
        return this.onPending;
    }

    public void setOnPending(OnPending onPending) {
        this.onPending = onPending;
    }

    public @Nullable Command getCommand() {
        return this.command;
    }

    public void setCommand(@Nullable Command command) {
        this.command = command;
    }

    public Output getOutput() {
        return this.output;
    }

    public void setOutput(Output output) {
        this.output = output;
    }

    public @Nullable String getSet() {
        return this.set;
    }

    public void setSet(@Nullable String set) {
        this.set = set;
    }

    public Map<String, Set> getSets() {
        return this.sets;
    }

    /** A migration set beside the default one. */
    public static class Set extends MigrationSetProperties {

        /** Sets that must be migrated before this one. The default set always runs first. */
        private List<String> dependsOn = new ArrayList<>();

        /**
         * Name of a DataSource bean to migrate this set over, when it lives in another database
         * than the application's. Ignored when url is set.
         */
        private @Nullable String dataSource;

        public List<String> getDependsOn() {
            return this.dependsOn;
        }

        public void setDependsOn(List<String> dependsOn) {
            this.dependsOn = dependsOn;
        }

        public @Nullable String getDataSource() {
            return this.dataSource;
        }

        public void setDataSource(@Nullable String dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * Map this set's properties onto a configuration. Locations and history tables that are not
         * set are the set's own: {@code classpath:db/<name>/migration}, {@code classpath:db/<name>/data},
         * {@code classpath:db/<name>/checks}, {@code <name>_schema_history} and
         * {@code <name>_data_history} ({@code -} read as {@code _}). Unless set, a named set baselines
         * at version 0 on its first run ({@code schema.baseline-on-migrate=true},
         * {@code schema.baseline-version=0}), as Flyway needs for a second history in a schema that
         * is not empty.
         *
         * @param configuration the configuration to set
         * @param name the set's name
         * @param binder the binder of the environment, which tells what is set
         * @return the configuration
         */
        public MigratorConfiguration applyTo(MigratorConfiguration configuration, String name, Binder binder) {
            String prefix = "migrator.sets." + name + ".";
            applyTo(configuration, settingNames(prefix));
            String table = name.replace('-', '_');
            if (!isSet(binder, prefix + "schema.locations")) {
                configuration.schemaLocations("classpath:db/" + name + "/migration");
            }
            if (!isSet(binder, prefix + "data.locations")) {
                configuration.dataLocations("classpath:db/" + name + "/data");
            }
            if (!isSet(binder, prefix + "checks.locations")) {
                configuration.checksLocations(List.of("classpath:db/" + name + "/checks"));
            }
            if (!isSet(binder, prefix + "schema.table")) {
                configuration.schemaTable(table + "_schema_history");
            }
            if (!isSet(binder, prefix + "data.table")) {
                configuration.dataTable(table + "_data_history");
            }
            // A second history in a schema that other sets already fill: Flyway needs a baseline below V1.
            if (!isSet(binder, prefix + "schema.baseline-on-migrate")) {
                configuration.baselineOnMigrate(true);
            }
            if (!isSet(binder, prefix + "schema.baseline-version")) {
                configuration.baselineVersion("0");
            }
            return configuration;
        }

        /**
         * Return the settings this set runs with, without a database: what the test slice keys its
         * template database by.
         *
         * @param name the set's name
         * @param binder the binder of the environment
         * @return the settings
         */
        public MigratorSettings settings(String name, Binder binder) {
            return applyTo(Migrator.configure(new SimpleDriverDataSource()), name, binder)
                    .settings();
        }

        private static boolean isSet(Binder binder, String property) {
            return binder.bind(property, Bindable.of(String.class)).isBound()
                    || binder.bind(property, Bindable.listOf(String.class)).isBound();
        }
    }

    /** What startup does when migrations are pending and auto-run is off. */
    public enum OnPending {

        /** Start and log a warning that lists the pending migrations. */
        WARN,

        /** Refuse to start, listing the pending migrations. */
        FAIL,

        /** Start without a word. */
        IGNORE
    }

    /** A command of command mode. */
    public enum Command {

        /** Migrate both tracks to their targets, then run the checks. Exit code 0, or 1 on failure. */
        MIGRATE,

        /** Show both tracks and the checks. Exit code 0 up to date, 3 pending, 1 failed or invalid. */
        STATUS,

        /** Validate applied migrations against the local ones. Exit code 0 valid, 1 invalid. */
        VALIDATE,

        /** Show the SQL that migrate would run, in order. Exit code 0. */
        PREVIEW,

        /** Show the applied migrations of both tracks as one timeline. Exit code 0. */
        HISTORY,

        /**
         * Show the findings of the change analysis, for the pending migrations (by a rehearsal) or
         * for every migration (built in a scratch database), as lint.scope says. Exit code 0, or 1
         * when a finding at or above lint.fail-on is not allowed, or on failure.
         */
        LINT,

        /**
         * Run the pending transactional migrations of both tracks in one transaction on the target
         * database, observed, and roll it back. Exit code 0 all rehearsed, 3 some could not be
         * rehearsed, 1 a migration failed or a finding at or above lint.fail-on is not allowed.
         */
        REHEARSE,

        /**
         * Undo applied migrations down to schema.target and/or data.target (a version, 0 for none), in
         * the reverse order of application, under the cluster lock; the whole path is checked first.
         * Exit code 0 undone (or nothing to undo), 1 refused (no target, a migration on the way without
         * undo) or failed.
         */
        UNDO,

        /**
         * Record the pending data migrations up to data.target as applied without running them, for work
         * done by hand. Exit code 0, or 1 when data.target is not a version or on failure.
         */
        MARK_APPLIED,

        /**
         * Compare the live database's catalog with the one its migrations build up to the versions it
         * recorded, in a scratch database created on the same server (the migration login needs
         * CREATEDB) and dropped afterwards; changes nothing. Exit code 0 no drift, 3 drift, 1 on failure.
         */
        DRIFT,

        /**
         * Write the next schema migration from what Hibernate would change to match the entities, in the safe forms
         * of the change analysis, into the first filesystem: schema location (generate.description names it).
         * Exit code 0 written, printed or nothing to change; 1 on bad input or failure, with nothing written.
         */
        GENERATE
    }

    /** Which migrations the lint command analyses. */
    public enum LintScope {

        /** The pending ones, by a rehearsal on the target database that is rolled back. */
        PENDING,

        /**
         * Every one, applied to a scratch database created on the same server (the migration login
         * needs CREATEDB) and dropped afterwards.
         */
        ALL
    }

    /** The format of command output. */
    public enum Output {

        /** Readable text for a person. */
        TEXT,

        /** JSON in the shape of the actuator endpoint, for tools. */
        JSON,

        /** SARIF 2.1.0, for code scanning tools: the lint command only. */
        SARIF
    }
}
