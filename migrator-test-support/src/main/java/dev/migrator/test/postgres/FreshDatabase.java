package dev.migrator.test.postgres;

import dev.migrator.test.internal.PostgresServer;
import dev.migrator.test.internal.ServerAddress;
import javax.sql.DataSource;

/**
 * A database of its own on the {@link TestPostgres test server}, dropped by {@link #close()}.
 *
 * <p>No method returns {@code null}; {@link #password()} is empty when the server needs none.
 *
 * @since 0.1.0
 */
public final class FreshDatabase implements AutoCloseable {

    private final PostgresServer server;

    private final ServerAddress address;

    FreshDatabase(PostgresServer server, ServerAddress address) {
        this.server = server;
        this.address = address;
    }

    /**
     * Returns the database name, for example {@code migrator_test_0f3c...}.
     *
     * @return the name
     */
    public String name() {
        return address.database();
    }

    /**
     * Returns the JDBC URL of this database, without user name and password, for {@code spring.datasource.url}.
     *
     * @return the URL
     */
    public String jdbcUrl() {
        return address.jdbcUrl();
    }

    /**
     * Returns the user name to log in with.
     *
     * @return the user name
     */
    public String username() {
        return address.user();
    }

    /**
     * Returns the password to log in with.
     *
     * @return the password, empty if none
     */
    public String password() {
        return address.password();
    }

    /**
     * Returns a non-pooling {@code org.postgresql.ds.PGSimpleDataSource} on this database.
     *
     * @return a new data source
     */
    public DataSource dataSource() {
        return address.dataSource();
    }

    /**
     * Returns the {@code spring.datasource} URL, user name and password of this database as {@code key=value}
     * pairs, for {@code ApplicationContextRunner.withPropertyValues} or {@code TestPropertyValues.of}.
     *
     * @return the three properties
     */
    public String[] springProperties() {
        return new String[] {
            "spring.datasource.url=" + jdbcUrl(),
            "spring.datasource.username=" + username(),
            "spring.datasource.password=" + password()
        };
    }

    /** Drops this database, terminating the sessions still connected to it; does nothing if it is already gone. */
    @Override
    public void close() {
        server.drop(name());
    }
}
