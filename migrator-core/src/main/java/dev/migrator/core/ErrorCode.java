package dev.migrator.core;

/**
 * What kind of failure a {@link MigratorException} reports.
 *
 * @since 0.1.0
 */
public enum ErrorCode {

    /** A setting has a value migrator cannot use, such as a malformed or unknown target. */
    CONFIGURATION,

    /** The database could not be reached, after the configured retries. */
    CONNECTION,

    /** The database refused the credentials. */
    AUTHENTICATION,

    /** Another instance held the migration lock for longer than the wait timeout. */
    LOCK_TIMEOUT,

    /**
     * The run lost the migration lock (its session ended, or another run took the lock over) and
     * stopped at the next safe point; what it committed before stays, and nothing ran twice.
     */
    LOCK_LOST,

    /**
     * The connection cannot keep a session-level lock, as behind a connection pooler in transaction
     * mode; migrator refuses to run rather than run unguarded.
     */
    UNSUPPORTED_CONNECTION,

    /** Applied migrations and the local ones disagree: changed, missing or duplicated migrations. */
    VALIDATION,

    /** A migration failed while it ran. */
    MIGRATION,

    /**
     * A migration gave up waiting for a lock that other sessions held, after its lock timeouts and
     * retries; every try was rolled back, and the message names the blocking sessions.
     *
     * @since 0.2.0
     */
    BLOCKED,

    /**
     * The change analysis found something at or above the severity that fails (a test template
     * build, a lint), in a migration that does not allow it.
     *
     * @since 0.2.0
     */
    FINDINGS,

    /** Migrations are pending while migrator was told not to apply them and not to start with pending work. */
    PENDING
}
