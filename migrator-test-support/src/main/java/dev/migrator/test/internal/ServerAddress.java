package dev.migrator.test.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.stream.Collectors.joining;

import java.net.URLEncoder;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.postgresql.Driver;
import org.postgresql.PGProperty;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One database on a PostgreSQL server and the credentials to log in to it, taken apart from a JDBC URL. Internal:
 * not for use outside migrator-test.
 *
 * @param hosts the comma-separated {@code host:port} list
 * @param database the database name
 * @param user the user name
 * @param password the password, empty if none
 * @param parameters the other URL parameters, decoded
 */
public record ServerAddress(
        String hosts, String database, String user, String password, Map<String, String> parameters) {

    private static final List<PGProperty> NOT_PARAMETERS =
            List.of(PGProperty.PG_HOST, PGProperty.PG_PORT, PGProperty.PG_DBNAME, PGProperty.USER, PGProperty.PASSWORD);

    /**
     * Takes a pgjdbc URL apart.
     *
     * @param jdbcUrl the URL, with user name and password as parameters if any
     * @return the address
     * @throws IllegalArgumentException when pgjdbc does not accept the URL
     */
    public static ServerAddress parse(String jdbcUrl) {
        Properties properties = Driver.parseURL(jdbcUrl, null);
        // The URL is not quoted in the message: it may hold a password.
        if (properties == null
                || properties.getProperty(PGProperty.PG_HOST.getName()).contains("@")) {
            throw new IllegalArgumentException(
                    "The test database URL is not a PostgreSQL JDBC URL that pgjdbc accepts. "
                            + "Use the form jdbc:postgresql://host:port/database?user=...&password=..., "
                            + "with no user name or password before the host.");
        }
        String[] hosts = properties.getProperty(PGProperty.PG_HOST.getName()).split(",");
        String[] ports = properties.getProperty(PGProperty.PG_PORT.getName()).split(",");
        Map<String, String> parameters = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> parameters.put(name, properties.getProperty(name)));
        NOT_PARAMETERS.forEach(property -> parameters.remove(property.getName()));
        return new ServerAddress(
                IntStream.range(0, hosts.length)
                        .mapToObj(i -> hosts[i] + ":" + ports[i])
                        .collect(joining(",")),
                properties.getProperty(PGProperty.PG_DBNAME.getName(), ""),
                // pgjdbc's own default when the URL names no user
                properties.getProperty(PGProperty.USER.getName(), System.getProperty("user.name")),
                properties.getProperty(PGProperty.PASSWORD.getName(), ""),
                Collections.unmodifiableMap(parameters));
    }

    /**
     * Returns the address of another database on the same server, with the same credentials.
     *
     * @param database the database name
     * @return the address
     */
    public ServerAddress withDatabase(String database) {
        return new ServerAddress(hosts, database, user, password, parameters);
    }

    /**
     * Returns this address with other credentials.
     *
     * @param user the user name
     * @param password the password, empty for none
     * @return the address
     */
    public ServerAddress withCredentials(String user, String password) {
        return new ServerAddress(hosts, database, user, password, parameters);
    }

    /**
     * Returns the URL without user and password, keeping the other parameters.
     *
     * @return the URL
     */
    public String jdbcUrl() {
        String query = parameters.entrySet().stream()
                .map(parameter -> encode(parameter.getKey()) + "=" + encode(parameter.getValue()))
                .collect(joining("&"));
        return redactedUrl() + (query.isEmpty() ? "" : "?" + query);
    }

    /**
     * Returns the URL with hosts and database only, safe to log.
     *
     * @return the URL
     */
    public String redactedUrl() {
        return "jdbc:postgresql://" + hosts + "/" + encode(database);
    }

    /**
     * Returns a new non-pooling data source on this database.
     *
     * @return the data source
     */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl());
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return dataSource;
    }

    /** The redacted URL: a record's default {@code toString()} would show the password. */
    @Override
    public String toString() {
        return redactedUrl();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, UTF_8);
    }
}
