package dev.migrator.core;

import dev.migrator.core.internal.VersionSyntax;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of a {@link Migrator}, immutable: every setting is a component here, named by a
 * {@link Setting}, set through {@link MigratorConfiguration} and, in Spring Boot, bound from one
 * {@code migrator.*} property. {@link #defaults()} holds the defaults that
 * {@link Migrator#configure(javax.sql.DataSource)} starts from.
 *
 * @param schemaEnabled whether the schema track runs; when not, its status is empty and runs apply
 *     data migrations only
 * @param schemaLocations where Flyway finds schema migrations ({@code classpath:} or {@code filesystem:})
 * @param schemaTable the schema history table
 * @param schemas the schemas Flyway manages, the first one being the default; empty for the
 *     connection's current schema
 * @param schemaTarget the schema version to migrate to: {@code latest}, {@code current} or a version
 * @param baselineOnMigrate whether to baseline a non-empty schema without history on the first run
 * @param baselineVersion the version to tag an existing schema with when baselining
 * @param placeholders Flyway placeholders replaced in schema migrations
 * @param outOfOrder whether schema migrations older than the current version still run
 * @param postgresqlTransactionalLock whether Flyway takes its lock in a transaction; {@code true}
 *     hangs on {@code CREATE INDEX CONCURRENTLY}
 * @param dataEnabled whether the data track runs
 * @param dataLocations where data migration SQL files are found
 * @param dataPrefix the file name prefix of versioned data migrations
 * @param dataOrdering how data migrations are ordered against schema migrations
 * @param dataTable the data history table; its qualified name also keys the cluster lock
 * @param dataTarget the data version to migrate to: {@code latest}, {@code current} or a version
 * @param batchSize the default number of rows per range of a backfill
 * @param checksLocations where SQL checks are found
 * @param lockWaitTimeout how long a run waits for another instance's run to finish
 * @param connectRetries how many times to retry connecting to the database at the start of a run
 * @param connectRetriesInterval the longest wait between two connection retries
 * @param applicationName the {@code application_name} the lock session shows while it holds the
 *     lock; by default {@code migrator@<host>}, the host from {@code $HOSTNAME} or the local host name
 * @param lockTimeout the {@code lock_timeout} of a migration's first try inside a transaction (schema
 *     and data migrations, backfill batches); zero for none, which also turns retries off
 * @param lockTimeoutMax the {@code lock_timeout} of the last try: the tries' timeouts rise evenly from
 *     {@code lockTimeout} to this
 * @param lockRetries how many more times a migration (or a backfill batch) that hit its lock timeout
 *     inside a transaction is tried again, rolled back in between
 * @param lockRetryBackoff the pause before the first retry; it doubles with each retry, up to 30 s
 * @param statementTimeout the {@code statement_timeout} of statements inside a transaction; zero for none
 * @param nonTransactionalLockTimeout the {@code lock_timeout} of statements outside a transaction
 *     ({@code CREATE INDEX CONCURRENTLY} waits there for every older transaction); zero for none
 * @param nonTransactionalStatementTimeout the {@code statement_timeout} of statements outside a
 *     transaction; zero for none
 * @param analysis whether each migration is observed for the change analysis as it runs, its
 *     findings logged and reported
 * @param dataBaselineVersion the version a data history that starts late is baselined at: when the
 *     data history is empty, a run first records a baseline at it, and data migrations up to it are
 *     taken as applied; empty for none
 * @param batchSizeMax the most rows a backfill batch holds when batches are sized to a time budget
 * @param batchTime how long a backfill batch should take: each next batch is sized from the rows
 *     per second of the batches before it, starting at {@code batchSize} rows, never above
 *     {@code batchSizeMax}; zero for batches of {@code batchSize} rows each
 * @since 0.1.0
 */
public record MigratorSettings(
        boolean schemaEnabled,
        List<String> schemaLocations,
        String schemaTable,
        List<String> schemas,
        String schemaTarget,
        boolean baselineOnMigrate,
        String baselineVersion,
        Map<String, String> placeholders,
        boolean outOfOrder,
        boolean postgresqlTransactionalLock,
        boolean dataEnabled,
        List<String> dataLocations,
        String dataPrefix,
        DataOrdering dataOrdering,
        String dataTable,
        String dataTarget,
        int batchSize,
        List<String> checksLocations,
        Duration lockWaitTimeout,
        int connectRetries,
        Duration connectRetriesInterval,
        String applicationName,
        Duration lockTimeout,
        Duration lockTimeoutMax,
        int lockRetries,
        Duration lockRetryBackoff,
        Duration statementTimeout,
        Duration nonTransactionalLockTimeout,
        Duration nonTransactionalStatementTimeout,
        boolean analysis,
        String dataBaselineVersion,
        int batchSizeMax,
        Duration batchTime) {

    private static final MigratorSettings DEFAULTS = new MigratorSettings(
            true,
            List.of("classpath:db/migration"),
            "flyway_schema_history",
            List.of(),
            "latest",
            false,
            "1",
            Map.of(),
            false,
            false,
            true,
            List.of("classpath:db/data"),
            "D",
            DataOrdering.AFTER_SCHEMA,
            "migrator_data_history",
            "latest",
            1000,
            List.of("classpath:db/checks"),
            Duration.ofMinutes(10),
            0,
            Duration.ofSeconds(120),
            "migrator@" + hostName(),
            Duration.ofSeconds(2),
            Duration.ofSeconds(10),
            5,
            Duration.ofSeconds(1),
            Duration.ZERO,
            Duration.ofMinutes(1),
            Duration.ZERO,
            true,
            "",
            100_000,
            Duration.ofMillis(100));

    /**
     * Validate and copy the components.
     *
     * @throws NullPointerException when a component is {@code null}
     * @throws MigratorException when a value is out of range, naming the setting as
     *     {@link SettingNames#CORE} does
     */
    public MigratorSettings {
        schemaLocations = List.copyOf(schemaLocations);
        Objects.requireNonNull(schemaTable, "schemaTable");
        schemas = List.copyOf(schemas);
        Objects.requireNonNull(schemaTarget, "schemaTarget");
        Objects.requireNonNull(baselineVersion, "baselineVersion");
        placeholders = Map.copyOf(placeholders);
        dataLocations = List.copyOf(dataLocations);
        Objects.requireNonNull(dataPrefix, "dataPrefix");
        Objects.requireNonNull(dataOrdering, "dataOrdering");
        Objects.requireNonNull(dataTable, "dataTable");
        Objects.requireNonNull(dataTarget, "dataTarget");
        checksLocations = List.copyOf(checksLocations);
        Objects.requireNonNull(lockWaitTimeout, "lockWaitTimeout");
        Objects.requireNonNull(connectRetriesInterval, "connectRetriesInterval");
        Objects.requireNonNull(applicationName, "applicationName");
        if (schemaLocations.isEmpty()) {
            throw new InvalidSettingException(
                    Setting.SCHEMA_LOCATIONS, "", "Name at least one location, such as 'classpath:db/migration'.");
        }
        requireTarget(Setting.SCHEMA_TARGET, schemaTarget, "'7'");
        if (!VersionSyntax.isVersion(baselineVersion)) {
            throw new InvalidSettingException(
                    Setting.BASELINE_VERSION,
                    baselineVersion,
                    "Use a version made of digits separated by '.' or '_', such as '1' or '1.2'.");
        }
        requireTarget(Setting.DATA_TARGET, dataTarget, "'3'");
        Objects.requireNonNull(dataBaselineVersion, "dataBaselineVersion");
        if (!dataBaselineVersion.isEmpty() && !VersionSyntax.isVersion(dataBaselineVersion)) {
            throw new InvalidSettingException(
                    Setting.DATA_BASELINE_VERSION,
                    dataBaselineVersion,
                    "Use a version made of digits separated by '.' or '_', such as '3', or leave it empty for no"
                            + " baseline.");
        }
        if (!dataPrefix.matches("[A-Za-z]+") || dataPrefix.equals("R")) {
            throw new InvalidSettingException(
                    Setting.DATA_PREFIX,
                    dataPrefix,
                    "Use one or more letters other than 'R' (repeatable), such as 'D'.");
        }
        if (batchSize < 1) {
            throw new InvalidSettingException(Setting.BATCH_SIZE, Integer.toString(batchSize), "Use 1 or more.");
        }
        if (batchSizeMax < batchSize) {
            throw new InvalidSettingException(
                    Setting.BATCH_SIZE_MAX,
                    Integer.toString(batchSizeMax),
                    "Use at least the batch size (" + batchSize
                            + "): the largest batch cannot be smaller than the first.");
        }
        Objects.requireNonNull(batchTime, "batchTime");
        if (batchTime.isNegative()) {
            throw new InvalidSettingException(
                    Setting.BATCH_TIME,
                    batchTime.toString(),
                    "Use a duration of zero or more, such as '100ms' (zero for batches of a fixed size).");
        }
        if (lockWaitTimeout.isNegative()) {
            throw new InvalidSettingException(
                    Setting.LOCK_WAIT_TIMEOUT,
                    lockWaitTimeout.toString(),
                    "Use a duration of zero or more, such as '10m'.");
        }
        if (connectRetries < 0) {
            throw new InvalidSettingException(
                    Setting.CONNECT_RETRIES, Integer.toString(connectRetries), "Use 0 or more.");
        }
        if (connectRetriesInterval.isNegative() || connectRetriesInterval.isZero()) {
            throw new InvalidSettingException(
                    Setting.CONNECT_RETRIES_INTERVAL,
                    connectRetriesInterval.toString(),
                    "Use a positive duration, such as '120s'.");
        }
        if (applicationName.isBlank()) {
            throw new InvalidSettingException(
                    Setting.APPLICATION_NAME,
                    applicationName,
                    "Use a name other sessions can show, such as 'migrator@host'.");
        }
        requireTimeout(Setting.LOCK_TIMEOUT, lockTimeout, "'2s'");
        requireTimeout(Setting.LOCK_TIMEOUT_MAX, lockTimeoutMax, "'10s'");
        if (lockTimeoutMax.compareTo(lockTimeout) < 0) {
            throw new InvalidSettingException(
                    Setting.LOCK_TIMEOUT_MAX,
                    lockTimeoutMax.toString(),
                    "Use a duration no shorter than the first try's lock timeout ('" + lockTimeout
                            + "'): the tries' timeouts rise to it.");
        }
        if (lockRetries < 0) {
            throw new InvalidSettingException(Setting.LOCK_RETRIES, Integer.toString(lockRetries), "Use 0 or more.");
        }
        requireTimeout(Setting.LOCK_RETRY_BACKOFF, lockRetryBackoff, "'1s'");
        requireTimeout(Setting.STATEMENT_TIMEOUT, statementTimeout, "'30m'");
        requireTimeout(Setting.NON_TRANSACTIONAL_LOCK_TIMEOUT, nonTransactionalLockTimeout, "'1m'");
        requireTimeout(Setting.NON_TRANSACTIONAL_STATEMENT_TIMEOUT, nonTransactionalStatementTimeout, "'2h'");
    }

    /** PostgreSQL takes whole milliseconds below about 24 days; zero turns a timeout off. */
    private static void requireTimeout(Setting setting, Duration timeout, String example) {
        Objects.requireNonNull(timeout, setting.componentName());
        if (timeout.isNegative() || timeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw new InvalidSettingException(
                    setting,
                    timeout.toString(),
                    "Use a duration from zero (none) to 24 days, such as " + example + ".");
        }
    }

    static void requireTarget(Setting setting, String target, String example) {
        if (!VersionSyntax.isTarget(target)) {
            throw new InvalidSettingException(
                    setting,
                    target,
                    "Use 'latest', 'current' or a version made of digits separated by '.' or '_', such as " + example
                            + " or '1.2'.");
        }
    }

    /**
     * Return the defaults.
     *
     * @return the default settings, never {@code null}
     */
    public static MigratorSettings defaults() {
        return DEFAULTS;
    }

    /**
     * Return the names of the tables that migrator and Flyway keep for themselves: the schema history, the data
     * history, and the data history's backfill progress and lock fencing tables. A comparison of schemas (drift,
     * generate, the entity check) leaves them out.
     *
     * @return the unqualified table names
     * @since 0.4.0
     */
    public java.util.Set<String> ownTables() {
        return java.util.Set.of(
                this.schemaTable,
                this.dataTable,
                this.dataTable + dev.migrator.core.internal.data.PostgresDataHistory.PROGRESS_SUFFIX,
                this.dataTable + dev.migrator.core.internal.lock.PostgresClusterLock.FENCING_SUFFIX);
    }

    /** Return these settings with the change analysis on or off: a scratch build has no use for it. */
    MigratorSettings withAnalysis(boolean analysis) {
        return new MigratorSettings(
                this.schemaEnabled,
                this.schemaLocations,
                this.schemaTable,
                this.schemas,
                this.schemaTarget,
                this.baselineOnMigrate,
                this.baselineVersion,
                this.placeholders,
                this.outOfOrder,
                this.postgresqlTransactionalLock,
                this.dataEnabled,
                this.dataLocations,
                this.dataPrefix,
                this.dataOrdering,
                this.dataTable,
                this.dataTarget,
                this.batchSize,
                this.checksLocations,
                this.lockWaitTimeout,
                this.connectRetries,
                this.connectRetriesInterval,
                this.applicationName,
                this.lockTimeout,
                this.lockTimeoutMax,
                this.lockRetries,
                this.lockRetryBackoff,
                this.statementTimeout,
                this.nonTransactionalLockTimeout,
                this.nonTransactionalStatementTimeout,
                analysis,
                this.dataBaselineVersion,
                this.batchSizeMax,
                this.batchTime);
    }

    /**
     * Return the schema that holds the history tables, when configured; otherwise the connection's
     * current schema is used.
     *
     * @return the first of {@link #schemas()}, or empty
     */
    public Optional<String> defaultSchema() {
        return this.schemas.stream().findFirst();
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException ex) {
            return "unknown-host";
        }
    }
}
