package dev.migrator.test.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server that tests of this JVM use, and the factory of {@link FreshDatabase fresh databases} on it.
 *
 * <p>The server is chosen once per JVM, first match wins: the JDBC URL in the system property
 * {@code migrator.test.url}, then the one in the environment variable {@code MIGRATOR_TEST_JDBC_URL} (an external
 * server, for example {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=secret}), otherwise an
 * embedded PostgreSQL 17 started on first use and stopped when the JVM exits. No method accepts or returns
 * {@code null}.
 *
 * @since 0.1.0
 */
public final class TestPostgres {

    private static final String URL_PROPERTY = "migrator.test.url";

    private static final String URL_VARIABLE = "MIGRATOR_TEST_JDBC_URL";

    private static final Logger logger = LoggerFactory.getLogger(TestPostgres.class);

    private static @Nullable TestPostgres server;

    private final ServerAddress maintenance;

    private final String description;

    private TestPostgres(ServerAddress maintenance, String description) {
        this.maintenance = maintenance;
        this.description = description;
    }

    /**
     * Returns the server of this JVM, starting the embedded one on the first call if no external server is
     * configured.
     *
     * @return the server
     */
    public static synchronized TestPostgres server() {
        if (server == null) {
            server = Stream.of(System.getProperty(URL_PROPERTY), System.getenv(URL_VARIABLE))
                    .filter(Objects::nonNull)
                    .filter(Predicate.not(String::isBlank))
                    .findFirst()
                    .map(TestPostgres::external)
                    .orElseGet(TestPostgres::embedded);
            logger.info("Tests use {}", server.description);
        }
        return server;
    }

    static TestPostgres external(String jdbcUrl) {
        ServerAddress maintenance = ServerAddress.parse(jdbcUrl);
        return new TestPostgres(maintenance, "external server " + maintenance.redactedUrl());
    }

    private static TestPostgres embedded() {
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
            return new TestPostgres(maintenance, "embedded PostgreSQL " + version + " on port " + postgres.getPort());
        } catch (SQLException ex) {
            throw new IllegalStateException(
                    "Embedded PostgreSQL on port " + postgres.getPort() + " refused a connection: " + ex.getMessage(),
                    ex);
        }
    }

    /**
     * Returns what server this is and where, without user name, password or other URL parameters, for example
     * {@code embedded PostgreSQL 17.11 on port 54321} or
     * {@code external server jdbc:postgresql://127.0.0.1:5432/postgres}.
     *
     * @return the description, safe to log
     */
    public String description() {
        return description;
    }

    /**
     * Creates a database with a unique name, so that JVMs sharing an external server never collide.
     *
     * @return the new database, which the caller closes to drop it
     */
    public FreshDatabase createDatabase() {
        String name = "migrator_test_" + UUID.randomUUID().toString().replace("-", "");
        execute("CREATE DATABASE " + name);
        return new FreshDatabase(this, maintenance.withDatabase(name));
    }

    /**
     * Returns a non-pooling data source on the maintenance database: the URL's database for an external server,
     * {@code postgres} for the embedded one.
     *
     * @return a new data source
     */
    public DataSource adminDataSource() {
        return maintenance.dataSource();
    }

    void execute(String sql) {
        try (Connection connection = adminDataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException ex) {
            throw new IllegalStateException(
                    "Statement '" + sql + "' failed on " + description + ": " + ex.getMessage()
                            + ". Check that the server is running and that its user may create and drop databases.",
                    ex);
        }
    }
}
