package dev.migrator.autoconfigure.command;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.Migrator;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Redactor;
import dev.migrator.core.analysis.Finding;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.boot.jdbc.DataSourceBuilder;

/**
 * A database created beside the target for {@code lint} of every migration: created with the
 * migration login, every migration applied to it with the change analysis on, dropped afterwards.
 */
final class ScratchDatabase {

    private static final Pattern DATABASE = Pattern.compile("^(jdbc:postgresql://[^/?]*/)([^?]*)(.*)$");

    private ScratchDatabase() {}

    /** Apply every migration of a migrator to a scratch database and return the findings. */
    static List<Finding> findingsOfEveryMigration(Migrator migrator) {
        try (Open scratch = open(
                migrator.dataSource(),
                "migrator_lint_",
                "lint of every migration builds them in",
                "lint the pending migrations only (migrator.lint.scope=pending), which rehearses them on the target"
                        + " and needs no new database")) {
            return migrator.on(scratch.dataSource()).migrate().findings();
        }
    }

    /**
     * Create an empty database beside the target, on its server, with the target's login.
     *
     * @param target the target database
     * @param prefix the start of the database's name, a random suffix follows
     * @param purpose what it is for, as the error says: "the scratch database that ... "
     * @param otherwise what to do instead when it cannot be created, as the error says
     * @return the database, dropped when closed
     */
    static Open open(DataSource target, String prefix, String purpose, String otherwise) {
        String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url;
        try (Connection connection = target.getConnection();
                Statement statement = connection.createStatement()) {
            url = connection.getMetaData().getURL();
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException ex) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "Could not create the scratch database '" + name + "' that " + purpose + ": '"
                            + Redactor.redact(String.valueOf(ex.getMessage())
                                    .lines()
                                    .findFirst()
                                    .orElse(""))
                            + "'.",
                    "Grant the migration login CREATEDB, or " + otherwise + ".",
                    ex);
        }
        try {
            DataSource scratch = DataSourceBuilder.derivedFrom(target)
                    .url(withDatabase(url, name))
                    .build();
            return new Open(target, name, scratch);
        } catch (RuntimeException ex) {
            drop(target, name);
            throw ex;
        }
    }

    /** A scratch database, dropped when closed. */
    static final class Open implements AutoCloseable {

        private final DataSource target;

        private final String name;

        private final DataSource dataSource;

        private Open(DataSource target, String name, DataSource dataSource) {
            this.target = target;
            this.name = name;
            this.dataSource = dataSource;
        }

        /** A data source on the scratch database. */
        DataSource dataSource() {
            return this.dataSource;
        }

        /** Its name. */
        String name() {
            return this.name;
        }

        /** Close its connections and drop it. */
        @Override
        public void close() {
            try {
                if (this.dataSource instanceof AutoCloseable closeable) {
                    closeable.close();
                }
            } catch (Exception ex) {
                // Dropped WITH (FORCE) below anyway.
            } finally {
                drop(this.target, this.name);
            }
        }
    }

    private static void drop(DataSource target, String name) {
        try (Connection connection = target.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException ex) {
            throw new MigratorException(
                    ErrorCode.CONNECTION,
                    "Could not drop the scratch database '" + name + "': '"
                            + Redactor.redact(String.valueOf(ex.getMessage())) + "'.",
                    "Drop it by hand: DROP DATABASE " + name + ";",
                    ex);
        }
    }

    /** Point a PostgreSQL JDBC URL at another database on the same server. */
    static String withDatabase(String url, String database) {
        Matcher matcher = DATABASE.matcher(url);
        if (!matcher.matches()) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "Cannot tell the database in the JDBC URL '" + Redactor.redact(url) + "'.",
                    "Use a jdbc:postgresql://host:port/database URL, or lint the pending migrations only"
                            + " (migrator.lint.scope=pending).",
                    null);
        }
        return matcher.group(1) + database + matcher.group(3);
    }
}
