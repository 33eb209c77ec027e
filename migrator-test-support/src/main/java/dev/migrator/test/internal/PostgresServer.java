package dev.migrator.test.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL server that tests create databases on, reached through its maintenance database (the database of the
 * URL it was given; {@code postgres} for the embedded server). One instance per maintenance address and JVM, so that
 * what is done once per server (such as sweeping left-over clones) is done once. Internal: not for use outside
 * migrator-test.
 */
public final class PostgresServer {

    /** The environment variable that names an external server. */
    public static final String URL_VARIABLE = "MIGRATOR_TEST_JDBC_URL";

    /** The system property (and Spring property) that names an external server; wins over the variable. */
    public static final String URL_PROPERTY = "migrator.test.url";

    private static final Map<ServerAddress, PostgresServer> servers = new ConcurrentHashMap<>();

    private static @Nullable PostgresServer embedded;

    private final ServerAddress maintenance;

    private final String description;

    private volatile int version;

    private volatile @Nullable DatabaseTemplates templates;

    private PostgresServer(ServerAddress maintenance, String description) {
        this.maintenance = maintenance;
        this.description = description;
    }

    /**
     * Returns the server of a JDBC URL, for example {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}.
     *
     * @param jdbcUrl the URL of the maintenance database, credentials as parameters
     * @return the server
     * @throws IllegalArgumentException when pgjdbc does not accept the URL
     */
    public static PostgresServer external(String jdbcUrl) {
        ServerAddress address = ServerAddress.parse(jdbcUrl);
        return of(address, "external server " + address.redactedUrl());
    }

    /**
     * Returns the server of a maintenance address.
     *
     * @param maintenance where to connect for {@code CREATE DATABASE} and {@code DROP DATABASE}
     * @param description what the server is, safe to log
     * @return the server, the same instance for the same address
     */
    public static PostgresServer of(ServerAddress maintenance, String description) {
        return servers.computeIfAbsent(maintenance, address -> new PostgresServer(address, description));
    }

    /**
     * Returns the embedded PostgreSQL 17 of this JVM, starting it on the first call. It stops when the JVM exits.
     *
     * @return the server
     */
    public static synchronized PostgresServer embedded() {
        PostgresServer server = embedded;
        if (server == null) {
            server = startEmbedded();
            embedded = server;
        }
        return server;
    }

    private static PostgresServer startEmbedded() {
        EmbeddedPostgres postgres;
        try {
            // The builder registers a shutdown hook that stops the server and deletes its data directory.
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException ex) {
            throw new UncheckedIOException(
                    "Embedded PostgreSQL did not start: " + ex.getMessage() + ". Set " + URL_VARIABLE
                            + " to the JDBC URL of a running server to use that one instead.",
                    ex);
        }
        ServerAddress maintenance = ServerAddress.parse(postgres.getJdbcUrl("postgres", "postgres"));
        try (Connection connection = maintenance.dataSource().getConnection()) {
            String version = connection.getMetaData().getDatabaseProductVersion();
            return of(maintenance, "embedded PostgreSQL " + version + " on port " + postgres.getPort());
        } catch (SQLException ex) {
            throw new IllegalStateException(
                    "Embedded PostgreSQL on port " + postgres.getPort() + " refused a connection: " + ex.getMessage(),
                    ex);
        }
    }

    /**
     * Returns the address of the maintenance database.
     *
     * @return the address
     */
    public ServerAddress maintenance() {
        return this.maintenance;
    }

    /**
     * Returns what server this is and where, without credentials.
     *
     * @return the description, safe to log
     */
    public String description() {
        return this.description;
    }

    /**
     * Returns the address of a database on this server, with the maintenance database's credentials.
     *
     * @param database the database name
     * @return the address
     */
    public ServerAddress address(String database) {
        return this.maintenance.withDatabase(database);
    }

    /**
     * Returns a new non-pooling data source on the maintenance database.
     *
     * @return the data source
     */
    public DataSource adminDataSource() {
        return this.maintenance.dataSource();
    }

    /**
     * Returns the template databases of this server.
     *
     * @return the templates, one instance per server
     */
    public DatabaseTemplates templates() {
        DatabaseTemplates templates = this.templates;
        if (templates == null) {
            synchronized (this) {
                templates = this.templates;
                if (templates == null) {
                    templates = new DatabaseTemplates(this);
                    this.templates = templates;
                }
            }
        }
        return templates;
    }

    /**
     * Returns the server's {@code server_version_num}, for example {@code 170004}.
     *
     * @return the version number
     */
    public int versionNumber() {
        int version = this.version;
        if (version == 0) {
            try (Connection connection = adminDataSource().getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SHOW server_version_num")) {
                result.next();
                version = Integer.parseInt(result.getString(1));
                this.version = version;
            } catch (SQLException ex) {
                throw failure("SHOW server_version_num", ex);
            }
        }
        return version;
    }

    /**
     * Runs one statement on the maintenance database in a session of its own.
     *
     * @param sql the statement
     * @throws IllegalStateException when it fails
     */
    public void execute(String sql) {
        try (Connection connection = adminDataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException ex) {
            throw failure(sql, ex);
        }
    }

    /**
     * Drops a database, ending the sessions still connected to it; does nothing if it is already gone.
     *
     * @param database the database name, a plain identifier
     */
    public void drop(String database) {
        if (versionNumber() >= 130000) {
            execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } else {
            execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
            execute("DROP DATABASE IF EXISTS " + database);
        }
    }

    IllegalStateException failure(String sql, SQLException ex) {
        return new IllegalStateException(
                "Statement '" + sql + "' failed on " + this.description + ": " + ex.getMessage()
                        + ". Check that the server is running and that its user may create and drop databases.",
                ex);
    }

    @Override
    public String toString() {
        return this.description;
    }
}
