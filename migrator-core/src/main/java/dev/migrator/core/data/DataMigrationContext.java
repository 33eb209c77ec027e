package dev.migrator.core.data;

import java.sql.Connection;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * What a running {@link DataMigration} gets: the migration connection, the schema version, a
 * logger, and the batched backfill helper.
 *
 * @since 0.1.0
 */
public interface DataMigrationContext {

    /**
     * Return the connection of this migration. For a transactional migration it is in the migration's
     * transaction: do not commit or close it.
     *
     * @return the connection, never {@code null}
     */
    Connection connection();

    /**
     * Return the current version of the schema track.
     *
     * @return the schema version, empty when no schema migration is applied
     */
    Optional<String> schemaVersion();

    /**
     * Return a logger named after the migration.
     *
     * @return the logger, never {@code null}
     */
    Logger logger();

    /**
     * Start a batched backfill over a table: the table is walked by ranges of its key, each range
     * updated and committed in a short transaction together with the last key done, so that a
     * restart resumes after it and no row is processed twice. Needs a migration that is not
     * {@linkplain DataMigration#transactional() transactional}.
     *
     * @param table the table to walk, optionally schema-qualified
     * @return a backfill to configure and run
     */
    Backfill backfill(String table);
}
