package dev.migrator.bench;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that counts the connections it opens and the time that takes, to show what part of a
 * run goes into connecting. It only delegates: the connections themselves are not wrapped.
 */
final class CountingDataSource implements DataSource {

    private final DataSource dataSource;

    private long connections;

    private long nanos;

    CountingDataSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    long connections() {
        return this.connections;
    }

    long nanos() {
        return this.nanos;
    }

    @Override
    public Connection getConnection() throws SQLException {
        long start = System.nanoTime();
        try {
            return this.dataSource.getConnection();
        } finally {
            this.nanos += System.nanoTime() - start;
            this.connections++;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        long start = System.nanoTime();
        try {
            return this.dataSource.getConnection(username, password);
        } finally {
            this.nanos += System.nanoTime() - start;
            this.connections++;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return this.dataSource.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        this.dataSource.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        this.dataSource.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return this.dataSource.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return this.dataSource.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : this.dataSource.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || this.dataSource.isWrapperFor(type);
    }
}
