package dev.migrator.autoconfigure.generate;

import javax.sql.DataSource;

/**
 * An empty database that migrations are built in, dropped when closed: a {@code ScratchDatabase} beside the target,
 * or a fresh database on the tests' server.
 *
 * @since 0.4.0
 */
public interface BuildDatabase extends AutoCloseable {

    /**
     * The database.
     *
     * @return a data source on it
     */
    DataSource dataSource();

    /**
     * Where it is, safe to print (no password).
     *
     * @return for example {@code embedded PostgreSQL 17.11 on port 54321}
     */
    String description();

    /** Drop the database. */
    @Override
    void close();
}
