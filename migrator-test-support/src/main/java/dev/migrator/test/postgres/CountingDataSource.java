package dev.migrator.test.postgres;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that counts the connections it opens and the time that takes: what part of a run goes
 * into connecting (the benchmarks), or how many connections an operation needs (the tests). It only
 * delegates: the connections themselves are not wrapped.
 */
public final class CountingDataSource implements DataSource {

    private final DataSource dataSource;

    private final AtomicLong connections = new AtomicLong();

    private final AtomicLong nanos = new AtomicLong();

    /**
     * Count the connections of a data source.
     *
     * @param dataSource the data source that opens them
     */
    public CountingDataSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Return how many connections were asked for so far.
     *
     * @return the number of {@code getConnection} calls
     */
    public long connections() {
        return this.connections.get();
    }

    /**
     * Return how long asking for them took so far.
     *
     * @return nanoseconds spent in {@code getConnection}
     */
    public long nanos() {
        return this.nanos.get();
    }

    @Override
    public Connection getConnection() throws SQLException {
        long start = System.nanoTime();
        try {
            return this.dataSource.getConnection();
        } finally {
            this.nanos.addAndGet(System.nanoTime() - start);
            this.connections.incrementAndGet();
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        long start = System.nanoTime();
        try {
            return this.dataSource.getConnection(username, password);
        } finally {
            this.nanos.addAndGet(System.nanoTime() - start);
            this.connections.incrementAndGet();
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
