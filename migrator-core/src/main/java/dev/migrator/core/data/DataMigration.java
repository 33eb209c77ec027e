package dev.migrator.core.data;

import java.util.Optional;

/**
 * A data migration written in Java: DML work (backfills, reference data, fixes) versioned on the
 * data track and recorded in its history table. Most implementations extend
 * {@link BaseDataMigration}, which derives the version and description from the class name.
 *
 * <p>Unlike Flyway's {@code JavaMigration}, a data migration is not collected by Flyway, so it
 * never runs as a schema migration.
 *
 * @since 0.1.0
 */
public interface DataMigration {

    /**
     * Return the version, in Flyway's format: digits separated by {@code .} or {@code _}.
     *
     * @return the version, never {@code null}
     */
    String version();

    /**
     * Return the description shown in status and history.
     *
     * @return the description, never {@code null}
     */
    String description();

    /**
     * Return the checksum recorded when the migration is applied and compared on later runs; change
     * it to declare that the migration changed. Empty (the default) means the migration is not
     * checked.
     *
     * @return the checksum, or empty
     */
    default Optional<Integer> checksum() {
        return Optional.empty();
    }

    /**
     * Return whether the migration runs in one transaction, committed with its history row. A
     * migration that commits on its own, such as one using
     * {@link DataMigrationContext#backfill(String)}, returns {@code false}.
     *
     * @return {@code true} by default
     */
    default boolean transactional() {
        return true;
    }

    /**
     * Return the schema version the migration must run after. The migration stays pending while
     * the schema is below that version.
     *
     * @return the schema version, or empty (the default) for no constraint
     */
    default Optional<String> afterSchema() {
        return Optional.empty();
    }

    /**
     * Run the migration.
     *
     * @param context the connection and helpers of this run
     * @throws Exception on failure; a transactional migration is rolled back
     */
    void migrate(DataMigrationContext context) throws Exception;

    /**
     * Undo the migration, when {@code --migrator.command=undo} returns the data track to a version
     * below it: put back what {@link #migrate(DataMigrationContext)} changed. It runs like the
     * migration, in one transaction with the removal of its history row when
     * {@link #transactional()}; the progress of its backfills is cleared with it. A migration that
     * does not override this method has no undo, and an undo whose path goes through it stops
     * before anything runs; mark one that must never be undone {@link Irreversible} with the reason.
     *
     * @param context the connection and helpers of this run
     * @throws Exception on failure; a transactional undo is rolled back and the migration stays
     *     applied
     * @since 0.3.0
     */
    default void undo(DataMigrationContext context) throws Exception {
        throw new UnsupportedOperationException("Data migration '" + getClass().getName() + "' has no undo");
    }
}
