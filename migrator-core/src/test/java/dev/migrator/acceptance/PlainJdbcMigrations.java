package dev.migrator.acceptance;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.migrator.core.internal.data.SqlScript;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Applies SQL migration files the way a person with {@code psql} would, without Flyway or migrator, to give the
 * reference schema that a migrator run must reproduce.
 */
final class PlainJdbcMigrations {

    private static final Pattern VERSIONED = Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__(.+)\\.sql");

    private static final Pattern REPEATABLE = Pattern.compile("R__(.+)\\.sql");

    private PlainJdbcMigrations() {}

    /**
     * Lists the SQL files of the given folders in the order Flyway applies them to an empty database: versioned files
     * by {@link MigrationVersion}, then repeatable ones by description.
     *
     * @param folders the folders, searched without descending into subfolders
     * @return the files
     * @throws IllegalStateException when a {@code .sql} file is neither versioned nor repeatable, or two share a
     *     version: the comparison would be meaningless if Flyway and this list disagreed on what the set holds
     */
    static List<Path> inFlywayOrder(Path... folders) {
        Map<MigrationVersion, Path> versioned = new TreeMap<>();
        Map<String, Path> repeatable = new TreeMap<>();
        for (Path file : sqlFiles(folders)) {
            String name = file.getFileName().toString();
            Matcher version = VERSIONED.matcher(name);
            Matcher description = REPEATABLE.matcher(name);
            if (version.matches()) {
                Path previous = versioned.put(MigrationVersion.fromVersion(version.group(1)), file);
                if (previous != null) {
                    throw new IllegalStateException(
                            "Files '" + previous + "' and '" + file + "' share a version. Remove one of them.");
                }
            } else if (description.matches()) {
                repeatable.put(description.group(1).replace('_', ' '), file);
            } else {
                throw new IllegalStateException("File '" + file + "' is not named V<version>__<description>.sql or"
                        + " R__<description>.sql. Rename it or leave it out of the set.");
            }
        }
        List<Path> ordered = new ArrayList<>(versioned.values());
        ordered.addAll(repeatable.values());
        return ordered;
    }

    /**
     * Executes each file's whole content as one {@link Statement#execute} on an autocommit connection, which leaves
     * the schema that {@code psql -f} leaves for files that apply cleanly. A file that holds a single statement, such
     * as {@code CREATE INDEX CONCURRENTLY}, runs outside any transaction; the statements of a longer file share the
     * implicit transaction that pgjdbc's one round trip gives them, so a failing file leaves nothing behind, and a
     * file that mixes {@code CREATE INDEX CONCURRENTLY} with other statements is refused ("cannot be executed within a
     * pipeline") where psql would run it.
     *
     * @param dataSource the database
     * @param files the files, in the order to apply them
     * @throws IllegalStateException when a file fails, naming the file
     * @throws UncheckedIOException when a file cannot be read
     */
    static void applyEachFileAsOneStatement(DataSource dataSource, List<Path> files) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            for (Path file : files) {
                String sql = read(file);
                try (Statement statement = connection.createStatement()) {
                    // psql knows nothing of JDBC escapes such as {fn ...}; neither does Flyway, which turns them off.
                    statement.setEscapeProcessing(false);
                    statement.execute(sql);
                } catch (SQLException ex) {
                    throw new IllegalStateException("Migration file '" + file + "' failed: " + ex.getMessage(), ex);
                }
            }
        } catch (SQLException ex) {
            throw new IllegalStateException("Could not connect to apply migration files: " + ex.getMessage(), ex);
        }
    }

    /**
     * Applies each file statement by statement in autocommit, as {@code psql -f} does: for files that hold statements
     * PostgreSQL refuses to run in a transaction block, such as {@code CREATE INDEX CONCURRENTLY}. Statements are split
     * where psql splits them.
     *
     * @param dataSource where to apply them
     * @param files the files, in order
     * @throws IllegalStateException naming the file when a statement fails
     */
    static void applyStatementByStatement(DataSource dataSource, List<Path> files) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            for (Path file : files) {
                for (SqlScript.Statement sql : SqlScript.parse(
                                file.getFileName().toString(), read(file))
                        .statements()) {
                    try (Statement statement = connection.createStatement()) {
                        statement.setEscapeProcessing(false);
                        statement.execute(sql.sql());
                    } catch (SQLException ex) {
                        throw new IllegalStateException(
                                "Migration file '" + file + "' failed at line " + sql.line() + ": " + ex.getMessage(),
                                ex);
                    }
                }
            }
        } catch (SQLException ex) {
            throw new IllegalStateException("Could not connect to apply migration files: " + ex.getMessage(), ex);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException("Could not read migration file '" + file + "'", ex);
        }
    }

    private static List<Path> sqlFiles(Path... folders) {
        List<Path> files = new ArrayList<>();
        for (Path folder : folders) {
            try (Stream<Path> entries = Files.list(folder)) {
                entries.filter(Files::isRegularFile)
                        .filter(file -> file.getFileName().toString().endsWith(".sql"))
                        .sorted(Comparator.naturalOrder())
                        .forEach(files::add);
            } catch (IOException ex) {
                throw new UncheckedIOException("Could not list migration folder '" + folder + "'", ex);
            }
        }
        return files;
    }
}
