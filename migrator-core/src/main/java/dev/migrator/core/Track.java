package dev.migrator.core;

/**
 * The two tracks of migrations.
 *
 * @since 0.1.0
 */
public enum Track {

    /** Schema migrations (DDL), run by Flyway. */
    SCHEMA,

    /** Data migrations (DML), run by migrator's own engine. */
    DATA
}
