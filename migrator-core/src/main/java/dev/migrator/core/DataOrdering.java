package dev.migrator.core;

/**
 * How data migrations are ordered against schema migrations.
 *
 * @since 0.1.0
 */
public enum DataOrdering {

    /** All pending schema migrations first, then all pending data migrations. */
    AFTER_SCHEMA,

    /**
     * Schema and data migrations merged by version: before each data migration, the schema track
     * runs up to that data migration's version. For sets written in one version space, where a data
     * migration expects the schema of its day.
     */
    BY_VERSION
}
