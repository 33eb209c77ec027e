package dev.migrator.core.internal.data;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import dev.migrator.core.data.DataMigration;
import dev.migrator.core.internal.Problem;
import dev.migrator.core.internal.VersionSyntax;
import dev.migrator.core.internal.resource.ResourceScanner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.api.MigrationVersion;
import org.jspecify.annotations.Nullable;

/**
 * Finds the local data migrations: SQL files in the data locations and Java {@link DataMigration}s,
 * with every naming problem found (misnamed files, malformed versions or directives, duplicates).
 */
final class DataMigrationResolver {

    private final ResourceScanner scanner;

    private final List<String> locations;

    private final String prefix;

    private final Pattern versionedName;

    private final Supplier<List<DataMigration>> javaMigrations;

    private volatile @Nullable Resolution resolution;

    DataMigrationResolver(
            ResourceScanner scanner,
            List<String> locations,
            String prefix,
            Supplier<List<DataMigration>> javaMigrations) {
        this.scanner = scanner;
        this.locations = List.copyOf(locations);
        this.prefix = prefix;
        this.versionedName = Pattern.compile(Pattern.quote(prefix) + "(" + VersionSyntax.REGEX + ")__(.+)\\.sql");
        this.javaMigrations = javaMigrations;
    }

    /** The name of an undo script, {@code U<version>__<description>.sql}, whatever the data prefix. */
    private static final Pattern UNDO_NAME = Pattern.compile("U(" + VersionSyntax.REGEX + ")__(.+)\\.sql");

    /** A file named like an undo of a repeatable migration, which cannot be undone. */
    private static final Pattern UNVERSIONED_UNDO = Pattern.compile("U__.+\\.sql");

    /**
     * The undo scripts of the data locations and what is wrong with them.
     *
     * @param scripts the undo scripts by the version they undo
     * @param problems every problem found: an undo script without a version, two for one version
     */
    record Undos(Map<MigrationVersion, ResolvedDataMigration> scripts, List<Problem> problems) {}

    /** Return the undo scripts of the data locations; read on every call (an undo is rare). */
    Undos undos() {
        Map<MigrationVersion, ResolvedDataMigration> scripts = new java.util.LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (ResourceScanner.Resource resource : this.scanner.scan(this.locations, ".sql")) {
            String fileName = resource.fileName();
            if (UNVERSIONED_UNDO.matcher(fileName).matches()) {
                problems.add(unversionedUndo(resource));
                continue;
            }
            Matcher undo = UNDO_NAME.matcher(fileName);
            if (!undo.matches()) {
                continue;
            }
            try {
                String content = resource.read();
                SqlScript script = SqlScript.parse(fileName, content);
                MigrationVersion version = MigrationVersion.fromVersion(undo.group(1));
                ResolvedDataMigration resolved = new ResolvedDataMigration(
                        Optional.of(version),
                        undo.group(2).replace('_', ' '),
                        fileName,
                        "SQL_UNDO",
                        Optional.of(SqlScript.checksum(content)),
                        script.transactional(),
                        Optional.empty(),
                        Optional.of(script),
                        Optional.empty());
                ResolvedDataMigration other = scripts.putIfAbsent(version, resolved);
                if (other != null) {
                    problems.add(new Problem(
                            ErrorCode.VALIDATION,
                            "Two data undo scripts undo version '" + version.getVersion() + "': '" + other.script()
                                    + "' and '" + fileName + "'.",
                            "Keep one of them."));
                }
            } catch (MigratorException ex) {
                problems.add(new Problem(ex.code(), ex.description(), ex.action()));
            }
        }
        return new Undos(scripts, problems);
    }

    /**
     * The local migrations and what is wrong with them.
     *
     * @param migrations the migrations that resolved, in the order found
     * @param problems every problem found; a migration with a problem is left out of the list
     */
    record Resolution(List<ResolvedDataMigration> migrations, List<Problem> problems) {}

    /**
     * Return the local data migrations. They are read once: the files and beans of a running
     * application do not change, and reading hundreds of files on every status request would cost
     * more than the request itself.
     */
    Resolution resolve() {
        Resolution resolution = this.resolution;
        if (resolution == null) {
            List<ResolvedDataMigration> found = new ArrayList<>();
            List<Problem> problems = new ArrayList<>();
            for (ResourceScanner.Resource resource : this.scanner.scan(this.locations, ".sql")) {
                try {
                    resolveSql(resource)
                            .ifPresentOrElse(
                                    migration -> {
                                        if (migration != UNDO_MARKER) {
                                            found.add(migration);
                                        }
                                    },
                                    () -> problems.add(misnamed(resource)));
                } catch (MigratorException ex) {
                    problems.add(new Problem(ex.code(), ex.description(), ex.action()));
                }
            }
            for (DataMigration migration : this.javaMigrations.get()) {
                Optional<Problem> problem = checkJava(migration);
                problem.ifPresentOrElse(problems::add, () -> found.add(resolveJava(migration)));
            }
            List<ResolvedDataMigration> unique = new ArrayList<>();
            Map<Object, ResolvedDataMigration> seen = new HashMap<>();
            for (ResolvedDataMigration migration : found) {
                ResolvedDataMigration other = seen.putIfAbsent(key(migration), migration);
                if (other == null) {
                    unique.add(migration);
                } else {
                    problems.add(duplicate(other, migration));
                }
            }
            resolution = new Resolution(List.copyOf(unique), List.copyOf(problems));
            this.resolution = resolution;
        }
        return resolution;
    }

    private Optional<ResolvedDataMigration> resolveSql(ResourceScanner.Resource resource) {
        String fileName = resource.fileName();
        if (!"U".equals(this.prefix) && UNDO_NAME.matcher(fileName).matches()) {
            // An undo script: found by undos(), not a migration.
            return Optional.of(UNDO_MARKER);
        }
        Matcher versioned = this.versionedName.matcher(fileName);
        boolean repeatable = fileName.startsWith("R__") && fileName.length() > "R__.sql".length();
        if (!versioned.matches() && !repeatable) {
            return Optional.empty();
        }
        String content = resource.read();
        SqlScript script = SqlScript.parse(fileName, content);
        return Optional.of(new ResolvedDataMigration(
                versioned.matches() ? Optional.of(MigrationVersion.fromVersion(versioned.group(1))) : Optional.empty(),
                versioned.matches()
                        ? versioned.group(2).replace('_', ' ')
                        : fileName.substring(3, fileName.length() - 4).replace('_', ' '),
                fileName,
                versioned.matches() ? "SQL" : "SQL_REPEATABLE",
                Optional.of(SqlScript.checksum(content)),
                script.transactional(),
                script.afterSchema().map(MigrationVersion::fromVersion),
                Optional.of(script),
                Optional.empty()));
    }

    private static Problem unversionedUndo(ResourceScanner.Resource resource) {
        return new Problem(
                ErrorCode.CONFIGURATION,
                "Undo script '" + resource.relativePath() + "' in '" + resource.location()
                        + "' has no version: a repeatable data migration has no undo.",
                "Name it 'U<version>__<description>.sql' after the version it undoes, or delete it;"
                        + " a repeatable migration runs again when it changes.");
    }

    /** What {@link #resolveSql} returns for an undo script, which is neither a migration nor misnamed. */
    private static final ResolvedDataMigration UNDO_MARKER = new ResolvedDataMigration(
            Optional.empty(),
            "undo",
            "undo",
            "SQL_UNDO",
            Optional.empty(),
            true,
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    private Problem misnamed(ResourceScanner.Resource resource) {
        if (UNVERSIONED_UNDO.matcher(resource.fileName()).matches()) {
            return unversionedUndo(resource);
        }
        return new Problem(
                ErrorCode.CONFIGURATION,
                "File '" + resource.relativePath() + "' in '" + resource.location() + "' is not named like a data"
                        + " migration.",
                "Name it '" + this.prefix + "<version>__<description>.sql', 'R__<description>.sql' or, for the undo of"
                        + " a version, 'U<version>__<description>.sql', or move it"
                        + " out of the data locations.");
    }

    private static Optional<Problem> checkJava(DataMigration migration) {
        String name = migration.getClass().getName();
        String version = migration.version();
        if (!VersionSyntax.isVersion(version)) {
            return Optional.of(new Problem(
                    ErrorCode.CONFIGURATION,
                    "Java data migration '" + name + "' has an invalid version '" + version + "'.",
                    "Return digits separated by '.' or '_' from version(), such as '3' or '1.2'."));
        }
        return migration
                .afterSchema()
                .filter(pin -> !VersionSyntax.isVersion(pin))
                .map(pin -> new Problem(
                        ErrorCode.CONFIGURATION,
                        "Java data migration '" + name + "' pins an invalid schema version '" + pin + "'.",
                        "Return digits separated by '.' or '_' from afterSchema(), such as '7'."));
    }

    private static ResolvedDataMigration resolveJava(DataMigration migration) {
        return new ResolvedDataMigration(
                Optional.of(MigrationVersion.fromVersion(migration.version())),
                migration.description(),
                migration.getClass().getName(),
                "JAVA",
                migration.checksum(),
                migration.transactional(),
                migration.afterSchema().map(MigrationVersion::fromVersion),
                Optional.empty(),
                Optional.of(migration));
    }

    private static Object key(ResolvedDataMigration migration) {
        return migration.version().isPresent() ? migration.version().get() : "R:" + migration.description();
    }

    private static Problem duplicate(ResolvedDataMigration first, ResolvedDataMigration second) {
        return new Problem(
                ErrorCode.VALIDATION,
                "Two data migrations share "
                        + second.versionText()
                                .map(v -> "version '" + v + "'")
                                .orElse("description '" + second.description() + "'")
                        + ": '" + first.script() + "' and '" + second.script() + "'.",
                "Give one of them a new version.");
    }
}
