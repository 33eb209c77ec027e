package dev.migrator.core.internal.jdbc;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Redactor;
import dev.migrator.core.Setting;
import dev.migrator.core.SettingNames;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens connections for migration work, waiting for the database as configured and turning
 * failures into messages a user can act on.
 */
public final class Connections {

    private static final Logger logger = LoggerFactory.getLogger(Connections.class);

    private static final Duration FIRST_RETRY_DELAY = Duration.ofSeconds(1);

    private final DataSource dataSource;

    private final int retries;

    private final Duration maxRetryDelay;

    private final SettingNames names;

    public Connections(DataSource dataSource, int retries, Duration maxRetryDelay, SettingNames names) {
        this.dataSource = dataSource;
        this.retries = retries;
        this.maxRetryDelay = maxRetryDelay;
        this.names = names;
    }

    /** Return how messages name settings. */
    public SettingNames names() {
        return this.names;
    }

    public DataSource dataSource() {
        return this.dataSource;
    }

    /**
     * Open a connection once: for reads (status, health, history) that must answer quickly rather
     * than wait for a database that is down.
     */
    public Connection open() {
        return open(0);
    }

    /**
     * Open a connection, retrying up to the configured number of times with a doubling delay capped
     * at the retry interval: for the start of a run, which may wait for the database. Authentication
     * failures and a missing database are not retried: waiting does not fix them.
     */
    public Connection openWaiting() {
        return open(this.retries);
    }

    private Connection open(int retries) {
        Duration delay = FIRST_RETRY_DELAY;
        for (int attempt = 0; ; attempt++) {
            try {
                return this.dataSource.getConnection();
            } catch (SQLException | RuntimeException ex) {
                SQLException sqlException = findSqlException(ex);
                String sqlState = (sqlException != null) ? sqlException.getSQLState() : null;
                String reason = firstLine((sqlException != null) ? sqlException : ex);
                if (sqlException != null && isAuthenticationFailure(sqlException)) {
                    throw authenticationFailed(sqlException, ex, this.names);
                }
                if ("3D000".equals(sqlState)) {
                    throw new MigratorException(
                            ErrorCode.CONNECTION,
                            "The database to migrate does not exist: '" + reason + "'.",
                            "Create it, or point " + this.names.connection() + " at an existing database.",
                            ex);
                }
                if (attempt >= retries) {
                    throw new MigratorException(
                            ErrorCode.CONNECTION,
                            "Could not connect to the database"
                                    + ((retries > 0)
                                            ? " after " + retries + (retries == 1 ? " retry" : " retries")
                                            : "")
                                    + ": '" + reason
                                    + "'.",
                            "Check that the server is running and reachable at the configured URL, or set "
                                    + this.names.quoted(Setting.CONNECT_RETRIES) + " to wait for it at startup.",
                            ex);
                }
                logger.warn(
                        "Database not reachable ({}), retry {} of {} in {} ms",
                        Redactor.redact(reason),
                        attempt + 1,
                        retries,
                        delay.toMillis());
                sleep(delay);
                delay = min(delay.multipliedBy(2), this.maxRetryDelay);
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return (a.compareTo(b) <= 0) ? a : b;
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new MigratorException(
                    ErrorCode.CONNECTION,
                    "Interrupted while waiting for the database.",
                    "Start again when the database is reachable.",
                    ex);
        }
    }

    /** Return the schema that unqualified names resolve to on a connection: where the history tables go. */
    public static String currentSchema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_schema()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Quote an identifier for SQL text, doubling any quote in it. */
    public static String quoteIdentifier(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** Return whether PostgreSQL refused the login (SQL state class 28: invalid authorization). */
    public static boolean isAuthenticationFailure(SQLException ex) {
        return ex.getSQLState() != null && ex.getSQLState().startsWith("28");
    }

    /** The failure for a refused login, without the password, which the driver never puts in its message. */
    public static MigratorException authenticationFailed(SQLException refusal, Throwable cause, SettingNames names) {
        return new MigratorException(
                ErrorCode.AUTHENTICATION,
                "The database refused the migration user: '" + firstLine(refusal) + "' (SQL state "
                        + refusal.getSQLState() + ").",
                "Check " + names.credentials() + ".",
                cause);
    }

    /** Return the first SQL exception in the cause chain of the given failure, if any. */
    public static @Nullable SQLException findSqlException(@Nullable Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sqlException) {
                return sqlException;
            }
        }
        return null;
    }

    /** Return the first line of a failure's message: PostgreSQL adds position and hint lines. */
    public static String firstLine(Throwable failure) {
        String message = Optional.ofNullable(failure.getMessage())
                .orElse(failure.getClass().getName());
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
