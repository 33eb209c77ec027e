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
        DataSource target = migrator.dataSource();
        String name =
                "migrator_lint_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url;
        try (Connection connection = target.getConnection();
                Statement statement = connection.createStatement()) {
            url = connection.getMetaData().getURL();
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException ex) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "Could not create the scratch database '" + name + "' that lint of every migration builds them"
                            + " in: '"
                            + Redactor.redact(String.valueOf(ex.getMessage())
                                    .lines()
                                    .findFirst()
                                    .orElse(""))
                            + "'.",
                    "Grant the migration login CREATEDB, or lint the pending migrations only"
                            + " (migrator.lint.scope=pending), which rehearses them on the target and needs no"
                            + " new database.",
                    ex);
        }
        try {
            DataSource scratch = DataSourceBuilder.derivedFrom(target)
                    .url(withDatabase(url, name))
                    .build();
            try {
                return migrator.on(scratch).migrate().findings();
            } finally {
                if (scratch instanceof AutoCloseable closeable) {
                    closeable.close();
                }
            }
        } catch (MigratorException ex) {
            throw ex;
        } catch (Exception ex) {
            throw new MigratorException(
                    ErrorCode.CONNECTION,
                    "Could not build the migrations in the scratch database '" + name + "': '"
                            + Redactor.redact(String.valueOf(ex.getMessage())) + "'.",
                    "Lint the pending migrations only (migrator.lint.scope=pending).",
                    ex);
        } finally {
            drop(target, name);
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
