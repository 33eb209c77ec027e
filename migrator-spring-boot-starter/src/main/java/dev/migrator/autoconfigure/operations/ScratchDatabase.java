package dev.migrator.autoconfigure.operations;

import dev.migrator.autoconfigure.generate.BuildDatabase;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Redactor;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.boot.jdbc.DataSourceBuilder;

/**
 * An empty database created beside the target, on the same server and with the migration login, in
 * which migrations are built and which is dropped when closed: for {@code lint} of every migration,
 * for {@code drift} and for {@code generate}. The login needs {@code CREATEDB}. Being on the target's
 * server, its catalog is printed by the same server version as the target's.
 *
 * <pre>{@code
 * try (ScratchDatabase scratch = ScratchDatabase.open(target, "migrator_drift_", "drift builds the migrations in", "...")) {
 *     migrator.drift(scratch.dataSource());
 * }
 * }</pre>
 *
 * @since 0.4.0
 */
public final class ScratchDatabase implements BuildDatabase {

    private static final Pattern DATABASE = Pattern.compile("^(jdbc:postgresql://[^/?]*/)([^?]*)(.*)$");

    private final DataSource target;

    private final String name;

    private final DataSource dataSource;

    private ScratchDatabase(DataSource target, String name, DataSource dataSource) {
        this.target = target;
        this.name = name;
        this.dataSource = dataSource;
    }

    /**
     * Create an empty database beside the target, on its server, with the target's login.
     *
     * @param target the target database
     * @param prefix the start of the database's name, a random suffix follows
     * @param purpose what it is for, as the error says: "the scratch database that ... "
     * @param otherwise what to do instead when it cannot be created, as the error says
     * @return the database, dropped when closed
     * @throws MigratorException when it cannot be created (a login without {@code CREATEDB}) or the
     *     target's URL names no database
     */
    public static ScratchDatabase open(DataSource target, String prefix, String purpose, String otherwise) {
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
                    .url(withDatabase(url, name, otherwise))
                    .build();
            return new ScratchDatabase(target, name, scratch);
        } catch (RuntimeException ex) {
            drop(target, name);
            throw ex;
        }
    }

    /**
     * Return a data source on the scratch database.
     *
     * @return the data source, never {@code null}
     */
    @Override
    public DataSource dataSource() {
        return this.dataSource;
    }

    /**
     * Return the scratch database's name.
     *
     * @return the name: the prefix and a random suffix
     */
    public String name() {
        return this.name;
    }

    /**
     * Describe where it is, for output: its name, beside the target.
     *
     * @return for example {@code the scratch database migrator_generate_0123456789ab beside the target}
     */
    @Override
    public String description() {
        return "the scratch database " + this.name + " beside the target";
    }

    /**
     * Close its connections and drop it.
     *
     * @throws MigratorException when it cannot be dropped, saying how to drop it by hand
     */
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
    static String withDatabase(String url, String database, String otherwise) {
        Matcher matcher = DATABASE.matcher(url);
        if (!matcher.matches()) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "Cannot tell the database in the JDBC URL '" + Redactor.redact(url) + "'.",
                    "Use a jdbc:postgresql://host:port/database URL, or " + otherwise + ".",
                    null);
        }
        return matcher.group(1) + database + matcher.group(3);
    }
}
