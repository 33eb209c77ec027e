package dev.migrator.core.internal.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.QueryExecutor;

/**
 * The PostgreSQL JDBC driver's cache of server-prepared statements on one connection.
 *
 * <p>From version 42.7.13 the driver forgets every statement it prepared on a connection as soon as
 * that connection runs a {@code CREATE}, {@code ALTER} or {@code DROP} (its {@code flushCacheOnDdl}),
 * so that a cached {@code SELECT *} never fails with "cached plan must not change result type".
 * A schema migration runs DDL on the very connection that Flyway then uses for its own bookkeeping
 * (the history read, the row it inserts, the checks of the table), so every one of those statements
 * is parsed and planned again after every migration. For a migration whose statements the driver
 * never caches (a SQL script: Flyway runs it as plain statements) and that does not change the
 * history table, nothing cached can change its result type, and keeping the cache is safe.
 */
public final class StatementCache {

    private static final boolean DRIVER_PRESENT = present();

    private StatementCache() {}

    /**
     * Keep the connection's prepared statements across DDL until the returned handle is closed.
     * Returns {@code null} when there is nothing to do: another driver, or a version that does not
     * forget them.
     *
     * @param connection a connection, possibly a pool's proxy
     * @return what puts the driver's setting back, or {@code null}
     */
    public static @Nullable Kept keepAcrossDdl(Connection connection) {
        if (!DRIVER_PRESENT) {
            return null;
        }
        try {
            return Pgjdbc.keep(connection);
        } catch (SQLException | LinkageError ex) {
            // An older driver has no such setting, and never forgets statements on DDL.
            return null;
        }
    }

    /** A connection whose cache is kept across DDL; closing puts the driver's setting back. */
    public interface Kept extends AutoCloseable {

        @Override
        void close();
    }

    private static boolean present() {
        try {
            Class.forName("org.postgresql.core.BaseConnection", false, StatementCache.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError ex) {
            return false;
        }
    }

    /** The driver's own types, loaded only when the driver is there. */
    private static final class Pgjdbc {

        static @Nullable Kept keep(Connection connection) throws SQLException {
            if (!connection.isWrapperFor(BaseConnection.class)) {
                return null;
            }
            QueryExecutor executor = connection.unwrap(BaseConnection.class).getQueryExecutor();
            if (!executor.isFlushCacheOnDdl()) {
                return null;
            }
            executor.setFlushCacheOnDdl(false);
            return () -> executor.setFlushCacheOnDdl(true);
        }
    }
}
