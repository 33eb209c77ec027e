package dev.migrator.autoconfigure;

import dev.migrator.core.DataOrdering;
import dev.migrator.core.MigratorConfiguration;
import dev.migrator.core.Setting;
import dev.migrator.core.SettingNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The properties of one migration set: its connection, its two tracks, its checks and its lock.
 * {@link MigratorProperties} holds the default set at the top level ({@code migrator.*}) and the
 * other sets under {@code migrator.sets.<name>.*}, with the same keys. Every setting of the core is
 * bound by one property here and mapped onto the core's configuration in {@link #applyTo}; failures
 * name settings by these properties.
 *
 * @since 0.1.0
 */
public class MigrationSetProperties {

    /**
     * JDBC URL of a separate connection for migrations, for example to run them as the schema
     * owner. When not set, migrations use the application's DataSource.
     */
    private @Nullable String url;

    /**
     * Login user for migrations. Without a url, migrations connect like the application's
     * DataSource but as this user.
     */
    private @Nullable String user;

    /** Login password for migrations. */
    private @Nullable String password;

    /** Number of retries when the database cannot be reached at the start of a run. */
    private int connectRetries = 0;

    /** Longest wait between two connection retries; the wait doubles from one second. */
    private Duration connectRetriesInterval = Duration.ofSeconds(120);

    private final Schema schema = new Schema();

    private final Data data = new Data();

    private final Checks checks = new Checks();

    private final Lock lock = new Lock();

    private final Timeouts timeouts = new Timeouts();

    private final Analysis analysis = new Analysis();

    public @Nullable String getUrl() {
        return this.url;
    }

    public void setUrl(@Nullable String url) {
        this.url = url;
    }

    public @Nullable String getUser() {
        return this.user;
    }

    public void setUser(@Nullable String user) {
        this.user = user;
    }

    public @Nullable String getPassword() {
        return this.password;
    }

    public void setPassword(@Nullable String password) {
        this.password = password;
    }

    public int getConnectRetries() {
        return this.connectRetries;
    }

    public void setConnectRetries(int connectRetries) {
        this.connectRetries = connectRetries;
    }

    public Duration getConnectRetriesInterval() {
        return this.connectRetriesInterval;
    }

    public void setConnectRetriesInterval(Duration connectRetriesInterval) {
        this.connectRetriesInterval = connectRetriesInterval;
    }

    public Schema getSchema() {
        return this.schema;
    }

    public Data getData() {
        return this.data;
    }

    public Checks getChecks() {
        return this.checks;
    }

    public Lock getLock() {
        return this.lock;
    }

    public Timeouts getTimeouts() {
        return this.timeouts;
    }

    public Analysis getAnalysis() {
        return this.analysis;
    }

    /** How messages name the default set's settings: by their {@code migrator.*} properties. */
    public static final SettingNames SETTING_NAMES = settingNames("migrator.");

    /**
     * Return how messages name the settings of the set whose properties start with a prefix.
     *
     * @param prefix the prefix, {@code migrator.} or {@code migrator.sets.<name>.}
     * @return the names
     */
    public static SettingNames settingNames(String prefix) {
        return new SettingNames() {

            @Override
            public String setting(Setting setting) {
                return propertyName(prefix, setting);
            }

            @Override
            public String connection() {
                return "the URL (" + prefix + "url or spring.datasource.url)";
            }

            @Override
            public String credentials() {
                return "the user and password (" + prefix + "user/password, or spring.datasource.*)";
            }

            @Override
            public String ownerLogin() {
                return prefix + "user/password";
            }
        };
    }

    /**
     * Return the property that binds a setting of the core.
     *
     * @param setting the setting
     * @return the property name, for example {@code migrator.schema.target}
     */
    public static String propertyName(Setting setting) {
        return propertyName("migrator.", setting);
    }

    /**
     * Return the property that binds a setting of the core in the set whose properties start with a
     * prefix.
     *
     * @param prefix the prefix, {@code migrator.} or {@code migrator.sets.<name>.}
     * @param setting the setting
     * @return the property name, for example {@code migrator.sets.scheduler.schema.target}
     */
    public static String propertyName(String prefix, Setting setting) {
        return prefix
                + switch (setting) {
                    case SCHEMA_ENABLED -> "schema.enabled";
                    case SCHEMA_LOCATIONS -> "schema.locations";
                    case SCHEMA_TABLE -> "schema.table";
                    case SCHEMAS -> "schema.schemas";
                    case SCHEMA_TARGET -> "schema.target";
                    case BASELINE_ON_MIGRATE -> "schema.baseline-on-migrate";
                    case BASELINE_VERSION -> "schema.baseline-version";
                    case PLACEHOLDERS -> "schema.placeholders";
                    case OUT_OF_ORDER -> "schema.out-of-order";
                    case POSTGRESQL_TRANSACTIONAL_LOCK -> "schema.postgresql-transactional-lock";
                    case DATA_ENABLED -> "data.enabled";
                    case DATA_LOCATIONS -> "data.locations";
                    case DATA_PREFIX -> "data.prefix";
                    case DATA_ORDERING -> "data.ordering";
                    case DATA_TABLE -> "data.table";
                    case DATA_TARGET -> "data.target";
                    case BATCH_SIZE -> "data.batch-size";
                    case CHECKS_LOCATIONS -> "checks.locations";
                    case LOCK_WAIT_TIMEOUT -> "lock.wait-timeout";
                    case CONNECT_RETRIES -> "connect-retries";
                    case CONNECT_RETRIES_INTERVAL -> "connect-retries-interval";
                    case APPLICATION_NAME -> "lock.application-name";
                    case LOCK_TIMEOUT -> "timeouts.lock-timeout";
                    case LOCK_TIMEOUT_MAX -> "timeouts.lock-timeout-max";
                    case LOCK_RETRIES -> "timeouts.lock-retries";
                    case LOCK_RETRY_BACKOFF -> "timeouts.lock-retry-backoff";
                    case STATEMENT_TIMEOUT -> "timeouts.statement-timeout";
                    case NON_TRANSACTIONAL_LOCK_TIMEOUT -> "timeouts.non-transactional-lock-timeout";
                    case NON_TRANSACTIONAL_STATEMENT_TIMEOUT -> "timeouts.non-transactional-statement-timeout";
                    case ANALYSIS -> "analysis.enabled";
                    case DATA_BASELINE_VERSION -> "data.baseline-version";
                    case BATCH_SIZE_MAX -> "data.batch-size-max";
                    case BATCH_TIME -> "data.batch-time";
                };
    }

    /**
     * Map these properties onto the core's configuration: the one place where properties become
     * settings.
     *
     * @param configuration the configuration to set
     * @return the configuration
     */
    public MigratorConfiguration applyTo(MigratorConfiguration configuration) {
        return applyTo(configuration, SETTING_NAMES);
    }

    /**
     * Map these properties onto the core's configuration, naming settings in messages as given.
     *
     * @param configuration the configuration to set
     * @param names how messages name the settings of this set
     * @return the configuration
     */
    public MigratorConfiguration applyTo(MigratorConfiguration configuration, SettingNames names) {
        configuration
                .settingNames(names)
                .schemaEnabled(this.schema.isEnabled())
                .schemaLocations(this.schema.getLocations())
                .schemaTable(this.schema.getTable())
                .schemas(this.schema.getSchemas())
                .schemaTarget(this.schema.getTarget())
                .baselineOnMigrate(this.schema.isBaselineOnMigrate())
                .baselineVersion(this.schema.getBaselineVersion())
                .placeholders(this.schema.getPlaceholders())
                .outOfOrder(this.schema.isOutOfOrder())
                .postgresqlTransactionalLock(this.schema.isPostgresqlTransactionalLock())
                .dataEnabled(this.data.isEnabled())
                .dataLocations(this.data.getLocations())
                .dataPrefix(this.data.getPrefix())
                .dataOrdering(this.data.getOrdering())
                .dataTable(this.data.getTable())
                .dataTarget(this.data.getTarget())
                .dataBaselineVersion(this.data.getBaselineVersion())
                .batchSize(this.data.getBatchSize())
                .batchSizeMax(this.data.getBatchSizeMax())
                .batchTime(this.data.getBatchTime())
                .checksLocations(this.checks.getLocations())
                .lockWaitTimeout(this.lock.getWaitTimeout())
                .connectRetries(this.connectRetries, this.connectRetriesInterval)
                .lockTimeout(this.timeouts.getLockTimeout(), this.timeouts.getLockTimeoutMax())
                .lockRetries(this.timeouts.getLockRetries(), this.timeouts.getLockRetryBackoff())
                .statementTimeout(this.timeouts.getStatementTimeout())
                .nonTransactionalTimeouts(
                        this.timeouts.getNonTransactionalLockTimeout(),
                        this.timeouts.getNonTransactionalStatementTimeout())
                .analysis(this.analysis.isEnabled());
        String applicationName = this.lock.getApplicationName();
        if (applicationName != null) {
            configuration.applicationName(applicationName);
        }
        return configuration;
    }

    /** Settings of the schema track (Flyway). */
    public static class Schema {

        /** Whether the schema track runs. When false, only data migrations run. */
        private boolean enabled = true;

        /** Locations of schema migrations, "classpath:" or "filesystem:". */
        private List<String> locations = new ArrayList<>(List.of("classpath:db/migration"));

        /** Name of the schema history table. */
        private String table = "flyway_schema_history";

        /**
         * Schemas managed by Flyway. The first is the default schema and holds the history tables;
         * when empty, the connection's current schema.
         */
        private List<String> schemas = new ArrayList<>();

        /** Schema version to migrate to: "latest", "current" or a version such as "7" or "1.2". */
        private String target = "latest";

        /** Whether to baseline a non-empty schema that has no history table on the first run. */
        private boolean baselineOnMigrate = false;

        /** Version to tag an existing schema with when baselining. */
        private String baselineVersion = "1";

        /** Placeholders and their replacements in schema migrations. */
        private Map<String, String> placeholders = new LinkedHashMap<>();

        /** Whether schema migrations older than the current version still run. */
        private boolean outOfOrder = false;

        /**
         * Whether Flyway takes its PostgreSQL lock inside a transaction. Off: a transactional lock
         * hangs on CREATE INDEX CONCURRENTLY.
         */
        private boolean postgresqlTransactionalLock = false;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public List<String> getLocations() {
            return this.locations;
        }

        public void setLocations(List<String> locations) {
            this.locations = locations;
        }

        public String getTable() {
            return this.table;
        }

        public void setTable(String table) {
            this.table = table;
        }

        public List<String> getSchemas() {
            return this.schemas;
        }

        public void setSchemas(List<String> schemas) {
            this.schemas = schemas;
        }

        public String getTarget() {
            return this.target;
        }

        public void setTarget(String target) {
            this.target = target;
        }

        public boolean isBaselineOnMigrate() {
            return this.baselineOnMigrate;
        }

        public void setBaselineOnMigrate(boolean baselineOnMigrate) {
            this.baselineOnMigrate = baselineOnMigrate;
        }

        public String getBaselineVersion() {
            return this.baselineVersion;
        }

        public void setBaselineVersion(String baselineVersion) {
            this.baselineVersion = baselineVersion;
        }

        public Map<String, String> getPlaceholders() {
            return this.placeholders;
        }

        public void setPlaceholders(Map<String, String> placeholders) {
            this.placeholders = placeholders;
        }

        public boolean isOutOfOrder() {
            return this.outOfOrder;
        }

        public void setOutOfOrder(boolean outOfOrder) {
            this.outOfOrder = outOfOrder;
        }

        public boolean isPostgresqlTransactionalLock() {
            return this.postgresqlTransactionalLock;
        }

        public void setPostgresqlTransactionalLock(boolean postgresqlTransactionalLock) {
            this.postgresqlTransactionalLock = postgresqlTransactionalLock;
        }
    }

    /** Settings of the data track: DML migrations with their own history. */
    public static class Data {

        /** Whether the data track runs. */
        private boolean enabled = true;

        /** Locations of data migration SQL files, "classpath:" or "filesystem:". */
        private List<String> locations = new ArrayList<>(List.of("classpath:db/data"));

        /** File name prefix of versioned data migrations, as in D3__backfill.sql. */
        private String prefix = "D";

        /**
         * How data migrations are ordered against schema migrations: after-schema (all schema
         * migrations first) or by-version (both tracks merged by version).
         */
        private DataOrdering ordering = DataOrdering.AFTER_SCHEMA;

        /** Name of the data history table; its qualified name also keys the cluster lock. */
        private String table = "migrator_data_history";

        /** Data version to migrate to: "latest", "current" or a version such as "3". */
        private String target = "latest";

        /**
         * Rows in the first batch of a backfill; with batch-time 0, in every batch. Java code may set its own
         * with Backfill.batchSize(int).
         */
        private int batchSize = 1000;

        /** Most rows in one batch of a backfill whose batches are sized to batch-time. */
        private int batchSizeMax = 100_000;

        /**
         * How long one batch of a backfill should take (its row locks are held that long): each next batch is
         * sized from the rows per second so far, from batch-size up to batch-size-max, and halved after a lock or
         * statement timeout. 0 for batches of batch-size rows each.
         */
        private Duration batchTime = Duration.ofMillis(100);

        /**
         * Version an empty data history is baselined at, so that an existing database adopts the data track: the
         * first run records a baseline at it, and the data migrations up to it are taken as applied. Empty for none.
         */
        private String baselineVersion = "";

        public String getBaselineVersion() {
            return this.baselineVersion;
        }

        public void setBaselineVersion(String baselineVersion) {
            this.baselineVersion = baselineVersion;
        }

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public List<String> getLocations() {
            return this.locations;
        }

        public void setLocations(List<String> locations) {
            this.locations = locations;
        }

        public String getPrefix() {
            return this.prefix;
        }

        public void setPrefix(String prefix) {
            this.prefix = prefix;
        }

        public DataOrdering getOrdering() {
            return this.ordering;
        }

        public void setOrdering(DataOrdering ordering) {
            this.ordering = ordering;
        }

        public String getTable() {
            return this.table;
        }

        public void setTable(String table) {
            this.table = table;
        }

        public String getTarget() {
            return this.target;
        }

        public void setTarget(String target) {
            this.target = target;
        }

        public int getBatchSize() {
            return this.batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public int getBatchSizeMax() {
            return this.batchSizeMax;
        }

        public void setBatchSizeMax(int batchSizeMax) {
            this.batchSizeMax = batchSizeMax;
        }

        public Duration getBatchTime() {
            return this.batchTime;
        }

        public void setBatchTime(Duration batchTime) {
            this.batchTime = batchTime;
        }
    }

    /** Settings of the post-migration checks. */
    public static class Checks {

        /**
         * Locations of SQL checks, "classpath:" or "filesystem:". Each .sql file is a query that
         * returns the rows violating the check; no rows means it passes.
         */
        private List<String> locations = new ArrayList<>(List.of("classpath:db/checks"));

        public List<String> getLocations() {
            return this.locations;
        }

        public void setLocations(List<String> locations) {
            this.locations = locations;
        }
    }

    /** Settings of the cluster-wide migration lock. */
    public static class Lock {

        /** How long to wait for another instance's migration run to finish. */
        private Duration waitTimeout = Duration.ofMinutes(10);

        /**
         * Application name the lock session shows in pg_stat_activity while a run holds the lock, so
         * that waiting instances and operators see who holds it. When not set, migrator@ followed by
         * the HOSTNAME environment variable or the local host name.
         */
        private @Nullable String applicationName;

        public @Nullable String getApplicationName() {
            return this.applicationName;
        }

        public void setApplicationName(@Nullable String applicationName) {
            this.applicationName = applicationName;
        }

        public Duration getWaitTimeout() {
            return this.waitTimeout;
        }

        public void setWaitTimeout(Duration waitTimeout) {
            this.waitTimeout = waitTimeout;
        }
    }

    /** Timeouts of the sessions that run migrations, and retries of a migration that hit its lock timeout. */
    public static class Timeouts {

        /**
         * lock_timeout of a migration's first try inside a transaction (schema and data migrations,
         * backfill batches). While a migration waits for a lock, the service's queries on that table
         * wait behind it, for at most this long. 0 for none, which also turns retries off.
         */
        private Duration lockTimeout = Duration.ofSeconds(2);

        /** lock_timeout of the last try; the tries' timeouts rise evenly from lock-timeout to this. */
        private Duration lockTimeoutMax = Duration.ofSeconds(10);

        /**
         * Number of times a migration or a backfill batch that hit its lock timeout inside a
         * transaction is tried again, rolled back in between.
         */
        private int lockRetries = 5;

        /** Pause before the first retry; it doubles with each retry, up to 30 seconds. */
        private Duration lockRetryBackoff = Duration.ofSeconds(1);

        /** statement_timeout of migration statements inside a transaction. 0 for none. */
        private Duration statementTimeout = Duration.ZERO;

        /**
         * lock_timeout of statements outside a transaction, such as CREATE INDEX CONCURRENTLY, which
         * waits for every older transaction without making the service's queries wait. 0 for none.
         */
        private Duration nonTransactionalLockTimeout = Duration.ofMinutes(1);

        /** statement_timeout of statements outside a transaction. 0 for none. */
        private Duration nonTransactionalStatementTimeout = Duration.ZERO;

        public Duration getLockTimeout() {
            return this.lockTimeout;
        }

        public void setLockTimeout(Duration lockTimeout) {
            this.lockTimeout = lockTimeout;
        }

        public Duration getLockTimeoutMax() {
            return this.lockTimeoutMax;
        }

        public void setLockTimeoutMax(Duration lockTimeoutMax) {
            this.lockTimeoutMax = lockTimeoutMax;
        }

        public int getLockRetries() {
            return this.lockRetries;
        }

        public void setLockRetries(int lockRetries) {
            this.lockRetries = lockRetries;
        }

        public Duration getLockRetryBackoff() {
            return this.lockRetryBackoff;
        }

        public void setLockRetryBackoff(Duration lockRetryBackoff) {
            this.lockRetryBackoff = lockRetryBackoff;
        }

        public Duration getStatementTimeout() {
            return this.statementTimeout;
        }

        public void setStatementTimeout(Duration statementTimeout) {
            this.statementTimeout = statementTimeout;
        }

        public Duration getNonTransactionalLockTimeout() {
            return this.nonTransactionalLockTimeout;
        }

        public void setNonTransactionalLockTimeout(Duration nonTransactionalLockTimeout) {
            this.nonTransactionalLockTimeout = nonTransactionalLockTimeout;
        }

        public Duration getNonTransactionalStatementTimeout() {
            return this.nonTransactionalStatementTimeout;
        }

        public void setNonTransactionalStatementTimeout(Duration nonTransactionalStatementTimeout) {
            this.nonTransactionalStatementTimeout = nonTransactionalStatementTimeout;
        }
    }

    /** Settings of the change analysis. */
    public static class Analysis {

        /**
         * Whether each migration is observed as it runs (a catalog snapshot before and after it) and
         * its findings are logged and reported.
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
