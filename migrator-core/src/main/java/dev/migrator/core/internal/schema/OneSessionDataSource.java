package dev.migrator.core.internal.schema;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The data source Flyway gets. During a run it hands Flyway one connection for everything, so that
 * a migration and its history row commit in one transaction. Flyway on PostgreSQL otherwise writes
 * the history row on a second connection, in autocommit, just before the migration's transaction
 * commits: a process killed between the two leaves a migration recorded as applied that never was.
 * Outside a run (status reads, validation) it hands out the pool's connections as they are.
 */
final class OneSessionDataSource implements DataSource {

    private final DataSource target;

    private final ThreadLocal<@Nullable Connection> pinned = new ThreadLocal<>();

    OneSessionDataSource(DataSource target) {
        this.target = target;
    }

    /** Run Flyway work with every connection it opens on this thread being one session. */
    <T> T inOneSession(Supplier<T> work) {
        if (this.pinned.get() != null) {
            return work.get();
        }
        Connection connection;
        try {
            connection = this.target.getConnection();
        } catch (SQLException ex) {
            // Flyway opens its connections the same way and words the failure; let it.
            return work.get();
        }
        this.pinned.set(connection);
        try {
            return work.get();
        } finally {
            this.pinned.remove();
            try {
                connection.close();
            } catch (SQLException ex) {
                // A connection broken during the run: the run's own outcome says what happened.
            }
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = this.pinned.get();
        return (connection != null) ? unclosable(connection) : this.target.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return this.target.getConnection(username, password);
    }

    /** The shared connection as Flyway sees it: closing it is left to the run. */
    private static Connection unclosable(Connection connection) {
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException ex) {
                        throw ex.getCause();
                    }
                });
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return this.target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        this.target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        this.target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return this.target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return this.target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : this.target.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || this.target.isWrapperFor(type);
    }
}
