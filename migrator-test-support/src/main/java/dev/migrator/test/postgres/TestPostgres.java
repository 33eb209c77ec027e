package dev.migrator.test.postgres;

import dev.migrator.test.internal.PostgresServer;
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

    private static final Logger logger = LoggerFactory.getLogger(TestPostgres.class);

    private static @Nullable TestPostgres server;

    private final PostgresServer delegate;

    private TestPostgres(PostgresServer delegate) {
        this.delegate = delegate;
    }

    /**
     * Returns the server of this JVM, starting the embedded one on the first call if no external server is
     * configured.
     *
     * @return the server
     */
    public static synchronized TestPostgres server() {
        if (server == null) {
            server = Stream.of(
                            System.getProperty(PostgresServer.URL_PROPERTY), System.getenv(PostgresServer.URL_VARIABLE))
                    .filter(Objects::nonNull)
                    .filter(Predicate.not(String::isBlank))
                    .findFirst()
                    .map(TestPostgres::external)
                    .orElseGet(() -> new TestPostgres(PostgresServer.embedded()));
            logger.info("Tests use {}", server.description());
        }
        return server;
    }

    static TestPostgres external(String jdbcUrl) {
        return new TestPostgres(PostgresServer.external(jdbcUrl));
    }

    /**
     * Returns what server this is and where, without user name, password or other URL parameters, for example
     * {@code embedded PostgreSQL 17.11 on port 54321} or
     * {@code external server jdbc:postgresql://127.0.0.1:5432/postgres}.
     *
     * @return the description, safe to log
     */
    public String description() {
        return delegate.description();
    }

    /**
     * Creates a database with a unique name, so that JVMs sharing an external server never collide.
     *
     * @return the new database, which the caller closes to drop it
     */
    public FreshDatabase createDatabase() {
        String name = "migrator_test_" + UUID.randomUUID().toString().replace("-", "");
        delegate.execute("CREATE DATABASE " + name);
        return new FreshDatabase(delegate, delegate.address(name));
    }

    /**
     * Returns a non-pooling data source on the maintenance database: the URL's database for an external server,
     * {@code postgres} for the embedded one.
     *
     * @return a new data source
     */
    public DataSource adminDataSource() {
        return delegate.adminDataSource();
    }
}
