package dev.migrator.core;

import java.util.Locale;

/**
 * A setting of a {@link Migrator}: one component of {@link MigratorSettings}. Messages name a
 * setting through {@link SettingNames}, so that each integration words it the way its users set it.
 *
 * @since 0.1.0
 */
public enum Setting {

    /** {@link MigratorSettings#schemaEnabled()}. */
    SCHEMA_ENABLED,
    /** {@link MigratorSettings#schemaLocations()}. */
    SCHEMA_LOCATIONS,
    /** {@link MigratorSettings#schemaTable()}. */
    SCHEMA_TABLE,
    /** {@link MigratorSettings#schemas()}. */
    SCHEMAS,
    /** {@link MigratorSettings#schemaTarget()}. */
    SCHEMA_TARGET,
    /** {@link MigratorSettings#baselineOnMigrate()}. */
    BASELINE_ON_MIGRATE,
    /** {@link MigratorSettings#baselineVersion()}. */
    BASELINE_VERSION,
    /** {@link MigratorSettings#placeholders()}. */
    PLACEHOLDERS,
    /** {@link MigratorSettings#outOfOrder()}. */
    OUT_OF_ORDER,
    /** {@link MigratorSettings#postgresqlTransactionalLock()}. */
    POSTGRESQL_TRANSACTIONAL_LOCK,
    /** {@link MigratorSettings#dataEnabled()}. */
    DATA_ENABLED,
    /** {@link MigratorSettings#dataLocations()}. */
    DATA_LOCATIONS,
    /** {@link MigratorSettings#dataPrefix()}. */
    DATA_PREFIX,
    /** {@link MigratorSettings#dataOrdering()}. */
    DATA_ORDERING,
    /** {@link MigratorSettings#dataTable()}. */
    DATA_TABLE,
    /** {@link MigratorSettings#dataTarget()}. */
    DATA_TARGET,
    /** {@link MigratorSettings#batchSize()}. */
    BATCH_SIZE,
    /** {@link MigratorSettings#checksLocations()}. */
    CHECKS_LOCATIONS,
    /** {@link MigratorSettings#lockWaitTimeout()}. */
    LOCK_WAIT_TIMEOUT,
    /** {@link MigratorSettings#connectRetries()}. */
    CONNECT_RETRIES,
    /** {@link MigratorSettings#connectRetriesInterval()}. */
    CONNECT_RETRIES_INTERVAL,
    /** {@link MigratorSettings#applicationName()}. */
    APPLICATION_NAME,
    /** {@link MigratorSettings#lockTimeout()}. */
    LOCK_TIMEOUT,
    /** {@link MigratorSettings#lockTimeoutMax()}. */
    LOCK_TIMEOUT_MAX,
    /** {@link MigratorSettings#lockRetries()}. */
    LOCK_RETRIES,
    /** {@link MigratorSettings#lockRetryBackoff()}. */
    LOCK_RETRY_BACKOFF,
    /** {@link MigratorSettings#statementTimeout()}. */
    STATEMENT_TIMEOUT,
    /** {@link MigratorSettings#nonTransactionalLockTimeout()}. */
    NON_TRANSACTIONAL_LOCK_TIMEOUT,
    /** {@link MigratorSettings#nonTransactionalStatementTimeout()}. */
    NON_TRANSACTIONAL_STATEMENT_TIMEOUT,
    /** {@link MigratorSettings#analysis()}. */
    ANALYSIS,

    /** {@link MigratorSettings#dataBaselineVersion()}. */
    DATA_BASELINE_VERSION,

    /** {@link MigratorSettings#batchSizeMax()}. */
    BATCH_SIZE_MAX,

    /** {@link MigratorSettings#batchTime()}. */
    BATCH_TIME;

    /**
     * Return the name of the {@link MigratorSettings} component and of the
     * {@link MigratorConfiguration} method that sets it, for example {@code schemaTarget}.
     *
     * @return the component name, never {@code null}
     */
    public String componentName() {
        String[] words = name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder name = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return name.toString();
    }
}
