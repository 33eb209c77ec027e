package dev.migrator.autoconfigure.generate;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.Migrator;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Redactor;
import dev.migrator.core.RunOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * {@code migrator.command=generate}: builds the schema migrations in an empty database, lets Hibernate compare the
 * entities with it, and writes the next migration (see {@link GeneratedMigration}) into the first {@code filesystem:}
 * schema location. Before anything is written, the scripts are applied to that database and the entities compared
 * again: what is written applies, and after it the entities match.
 *
 * @since 0.4.0
 */
public final class SchemaGenerator {

    private static final Pattern DESCRIPTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private static final Pattern LAST_NUMBER = Pattern.compile("^(.*?)(\\d+)$");

    private static final int MAX_DESCRIPTION = 100;

    private final Migrator migrator;

    private final @Nullable EntityModel model;

    private final Supplier<BuildDatabase> databases;

    /**
     * Create a generator.
     *
     * @param migrator the migrator of the set whose next migration is generated
     * @param model the entities, or {@code null} when the application has no JPA
     * @param databases opens the empty database the migrations are built in
     */
    public SchemaGenerator(Migrator migrator, @Nullable EntityModel model, Supplier<BuildDatabase> databases) {
        this.migrator = migrator;
        this.model = model;
        this.databases = databases;
    }

    /** What generate did. */
    public enum Outcome {
        /** The files were written. */
        WRITTEN,
        /** The files were printed, not written ({@code migrator.generate.dry-run=true}). */
        DRY_RUN,
        /** The entities match the migrations: nothing was written. */
        NOTHING_TO_CHANGE
    }

    /**
     * What generate did.
     *
     * @param outcome written, printed, or nothing to change
     * @param builtAt the schema version the migrations were built to ({@code 0} for none)
     * @param builtOn where they were built, safe to print
     * @param location the directory the files are (or would be) written to; {@code null} on a dry run without a
     *     {@code filesystem:} location
     * @param files the files with their text, in order
     * @param notes what the first file's header says to write or check by hand; with nothing to change, what no entity
     *     maps
     */
    public record Result(
            Outcome outcome,
            String builtAt,
            String builtOn,
            @Nullable String location,
            Map<String, String> files,
            List<String> notes) {}

    /**
     * Generate the next migration.
     *
     * @param description the description, as in {@code V<version>__<description>.sql}
     * @param dryRun {@code true} to print the files instead of writing them
     * @return what was done
     * @throws MigratorException when the input is bad (no JPA, no location, a bad description, a file in the way),
     *     when the migrations cannot be built, or when what Hibernate writes does not apply; nothing is written then
     */
    public Result generate(@Nullable String description, boolean dryRun) {
        String name = description(description);
        EntityModel model = this.model;
        if (model == null) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "migrator generate needs the application's JPA entities, and there is no JPA entity manager"
                            + " factory with Hibernate in the application.",
                    "Add spring-boot-starter-data-jpa and the entities; generate writes what Hibernate would change"
                            + " to match them. Without JPA, write the migration by hand.",
                    null);
        }
        @Nullable Path location = location(dryRun);
        Set<String> ignored = this.migrator.settings().ownTables();
        try (BuildDatabase database = this.databases.get()) {
            Migrator built = this.migrator.onScratch(database.dataSource());
            built.migrate(RunOptions.defaults().schemaTarget("latest").dataTarget("current"));
            String version = built.status().schema().current().orElse("0");
            EntityComparison comparison = model.compareWith(database.dataSource(), ignored);
            String first = next(version);
            GeneratedMigration migration = GeneratedMigration.of(comparison, name, version, first, next(first));
            if (migration.isEmpty()) {
                return new Result(
                        Outcome.NOTHING_TO_CHANGE,
                        version,
                        database.description(),
                        (location != null) ? location.toString() : null,
                        Map.of(),
                        migration.notes());
            }
            if (location != null) {
                requireFree(location, migration.files().keySet());
            }
            verify(database, model, ignored, migration);
            if (!dryRun && location != null) {
                write(location, migration.files());
            }
            return new Result(
                    dryRun ? Outcome.DRY_RUN : Outcome.WRITTEN,
                    version,
                    database.description(),
                    (location != null) ? location.toString() : null,
                    migration.files(),
                    migration.notes());
        }
    }

    /**
     * Where the migrations are built, as {@code migrator.generate.database} says.
     *
     * @param on the setting
     * @param scratch opens a scratch database beside the target
     * @return what opens the database
     */
    public static Supplier<BuildDatabase> databases(
            dev.migrator.autoconfigure.MigratorProperties.BuildOn on, Supplier<BuildDatabase> scratch) {
        ClassLoader classLoader = SchemaGenerator.class.getClassLoader();
        // Checked by name: EmbeddedBuildDatabase is only loaded when migrator-test-support is there.
        boolean embedded =
                org.springframework.util.ClassUtils.isPresent("dev.migrator.test.postgres.TestPostgres", classLoader);
        return switch (on) {
            case SCRATCH -> scratch;
            case AUTO -> embedded ? SchemaGenerator::embedded : scratch;
            case EMBEDDED -> {
                if (!embedded) {
                    throw new MigratorException(
                            ErrorCode.CONFIGURATION,
                            "migrator.generate.database=embedded builds the migrations on the tests' embedded"
                                    + " PostgreSQL, and migrator-test-support is not on the classpath.",
                            "Run generate with the test classpath (./mvnw spring-boot:test-run), add"
                                    + " dev.migrator:migrator-test-support, or build them beside the target with"
                                    + " migrator.generate.database=scratch.",
                            null);
                }
                yield SchemaGenerator::embedded;
            }
        };
    }

    private static BuildDatabase embedded() {
        try {
            return EmbeddedBuildDatabase.create();
        } catch (RuntimeException ex) {
            throw new MigratorException(
                    ErrorCode.CONNECTION,
                    "Could not start the embedded PostgreSQL that generate builds the migrations on: '"
                            + Redactor.redact(String.valueOf(ex.getMessage())) + "'.",
                    "Build them beside the target instead: --migrator.generate.database=scratch (needs CREATEDB).",
                    ex);
        }
    }

    /** Check the description before anything runs: it goes into a file name. */
    static String description(@Nullable String description) {
        String name = (description == null) ? "" : description.strip().replace(' ', '_');
        if (name.isEmpty()) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "migrator generate needs a description for the file name, and 'migrator.generate.description' is"
                            + " not set.",
                    "Name the change, for example --migrator.generate.description=add_customer_phone.",
                    null);
        }
        if (!DESCRIPTION.matcher(name).matches() || name.length() > MAX_DESCRIPTION || name.contains("..")) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "Invalid value '" + description + "' for 'migrator.generate.description': it goes into the file"
                            + " name V<version>__<description>.sql, so it may hold letters, digits, '_', '-', '.'"
                            + " and spaces (written as '_'), start with a letter or digit, and have at most "
                            + MAX_DESCRIPTION + " characters.",
                    "Use a name such as add_customer_phone.",
                    null);
        }
        return name;
    }

    /** The first {@code filesystem:} schema location, which must be a directory. */
    private @Nullable Path location(boolean dryRun) {
        List<String> locations = this.migrator.settings().schemaLocations();
        String filesystem = locations.stream()
                .filter(location -> location.startsWith("filesystem:"))
                .findFirst()
                .orElse(null);
        if (filesystem == null) {
            if (dryRun) {
                return null;
            }
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "migrator generate writes into the first filesystem: schema location, and the schema locations "
                            + locations + " have none.",
                    "Point it at your sources for this command, for example"
                            + " --migrator.schema.locations=filesystem:src/main/resources/db/migration (the folder"
                            + " that classpath:db/migration is built from), or print the script with"
                            + " --migrator.generate.dry-run=true.",
                    null);
        }
        Path path = Path.of(filesystem.substring("filesystem:".length()))
                .toAbsolutePath()
                .normalize();
        if (!Files.isDirectory(path)) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "The schema location '" + filesystem + "' that generate writes into is not a directory: '" + path
                            + "' (relative to " + Path.of("").toAbsolutePath() + ").",
                    "Run the command from the module's folder, or name the folder that holds the migrations.",
                    null);
        }
        return path;
    }

    /** No file may be in the way: the next version, or a file of the same name, written by hand and not resolved. */
    private static void requireFree(Path location, Set<String> names) {
        List<String> taken = new ArrayList<>();
        try (Stream<Path> files = Files.list(location)) {
            files.map(file -> file.getFileName().toString())
                    .filter(file -> names.stream().anyMatch(name -> sameVersion(file, name)))
                    .sorted()
                    .forEach(taken::add);
        } catch (IOException ex) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "Could not list the schema location '" + location + "': '" + ex.getMessage() + "'.",
                    "Check that the folder is readable.",
                    ex);
        }
        if (!taken.isEmpty()) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "migrator generate would write "
                            + String.join(
                                    ", ",
                                    names.stream()
                                            .filter(name -> !name.endsWith(".conf"))
                                            .toList())
                            + ", and " + location + " already has " + String.join(", ", taken)
                            + " with the same version. Nothing was written.",
                    "Rename or remove that file (Flyway does not read it as a migration: check its name), then run"
                            + " generate again.",
                    null);
        }
    }

    /** Whether two file names hold the same version with the same prefix: {@code V10__a.sql} and {@code V10__b.sql}. */
    private static boolean sameVersion(String file, String name) {
        int separator = name.indexOf("__");
        return file.startsWith(name.substring(0, separator + 2));
    }

    /** Apply the scripts to the build database, then compare again: the entities must match. */
    private static void verify(
            BuildDatabase database, EntityModel model, Set<String> ignored, GeneratedMigration migration) {
        String current = null;
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            for (String sql : migration.inTransaction()) {
                current = sql;
                statement.execute(sql);
            }
            connection.commit();
            connection.setAutoCommit(true);
            for (String sql : migration.outsideTransaction()) {
                current = sql;
                statement.execute(sql);
            }
        } catch (SQLException ex) {
            throw new MigratorException(
                    ErrorCode.VALIDATION,
                    "The generated migration does not apply to the database built from the migrations: '"
                            + Redactor.redact(String.valueOf(ex.getMessage())) + "' at: " + current
                            + ". Nothing was written.",
                    "Report it with the entity that maps this table; write this migration by hand meanwhile.",
                    ex);
        }
        EntityComparison after = model.compareWith(database.dataSource(), ignored);
        if (!after.matches()) {
            throw new MigratorException(
                    ErrorCode.VALIDATION,
                    "After the generated migration, Hibernate would still run: " + String.join("; ", after.statements())
                            + ". Nothing was written.",
                    "Write these statements by hand in the next migration; generate cannot make them match.",
                    null);
        }
    }

    private static void write(Path location, Map<String, String> files) {
        List<Path> written = new ArrayList<>();
        try {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = location.resolve(file.getKey());
                Files.writeString(path, file.getValue(), java.nio.file.StandardOpenOption.CREATE_NEW);
                written.add(path);
            }
        } catch (IOException ex) {
            for (Path path : written) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // The first failure is the one to report.
                }
            }
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "Could not write the generated migration into '" + location + "': '" + ex + "'. Nothing was"
                            + " kept.",
                    "Check that the folder is writable.",
                    ex);
        }
    }

    /** The version after another: its last number plus one, as wide as it was ({@code 9} to {@code 10}, {@code 1.09} to {@code 1.10}). */
    static String next(String version) {
        Matcher matcher = LAST_NUMBER.matcher(version);
        if (!matcher.matches()) {
            return version + ".1";
        }
        String number = matcher.group(2);
        String incremented =
                new java.math.BigInteger(number).add(java.math.BigInteger.ONE).toString();
        if (incremented.length() < number.length()) {
            incremented = "0".repeat(number.length() - incremented.length()) + incremented;
        }
        return matcher.group(1) + incremented;
    }
}
