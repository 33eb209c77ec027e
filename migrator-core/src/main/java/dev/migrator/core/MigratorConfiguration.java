package dev.migrator.core;

import dev.migrator.core.check.MigrationCheck;
import dev.migrator.core.data.DataMigration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Configures a {@link Migrator}, as Flyway's {@code FluentConfiguration} configures Flyway: start
 * with {@link Migrator#configure(DataSource)}, set what differs from the
 * {@linkplain MigratorSettings#defaults() defaults}, then {@link #load()}. Not thread-safe; the
 * migrator it loads is immutable.
 *
 * @since 0.1.0
 */
public final class MigratorConfiguration {

    private static final MigratorSettings DEFAULTS = MigratorSettings.defaults();

    private final DataSource dataSource;

    private ClassLoader classLoader =
            Objects.requireNonNullElse(Thread.currentThread().getContextClassLoader(), Migrator.class.getClassLoader());

    private SettingNames settingNames = SettingNames.CORE;

    // The settings, each starting at its default; settings() validates them into a MigratorSettings.
    private boolean schemaEnabled = DEFAULTS.schemaEnabled();
    private List<String> schemaLocations = DEFAULTS.schemaLocations();
    private String schemaTable = DEFAULTS.schemaTable();
    private List<String> schemas = DEFAULTS.schemas();
    private String schemaTarget = DEFAULTS.schemaTarget();
    private boolean baselineOnMigrate = DEFAULTS.baselineOnMigrate();
    private String baselineVersion = DEFAULTS.baselineVersion();
    private final Map<String, String> placeholders = new LinkedHashMap<>(DEFAULTS.placeholders());
    private boolean outOfOrder = DEFAULTS.outOfOrder();
    private boolean postgresqlTransactionalLock = DEFAULTS.postgresqlTransactionalLock();
    private boolean dataEnabled = DEFAULTS.dataEnabled();
    private List<String> dataLocations = DEFAULTS.dataLocations();
    private String dataPrefix = DEFAULTS.dataPrefix();
    private DataOrdering dataOrdering = DEFAULTS.dataOrdering();
    private String dataTable = DEFAULTS.dataTable();
    private String dataTarget = DEFAULTS.dataTarget();
    private int batchSize = DEFAULTS.batchSize();
    private List<String> checksLocations = DEFAULTS.checksLocations();
    private Duration lockWaitTimeout = DEFAULTS.lockWaitTimeout();
    private int connectRetries = DEFAULTS.connectRetries();
    private Duration connectRetriesInterval = DEFAULTS.connectRetriesInterval();
    private String applicationName = DEFAULTS.applicationName();
    private Duration lockTimeout = DEFAULTS.lockTimeout();
    private Duration lockTimeoutMax = DEFAULTS.lockTimeoutMax();
    private int lockRetries = DEFAULTS.lockRetries();
    private Duration lockRetryBackoff = DEFAULTS.lockRetryBackoff();
    private Duration statementTimeout = DEFAULTS.statementTimeout();
    private Duration nonTransactionalLockTimeout = DEFAULTS.nonTransactionalLockTimeout();
    private Duration nonTransactionalStatementTimeout = DEFAULTS.nonTransactionalStatementTimeout();
    private boolean analysis = DEFAULTS.analysis();

    private String dataBaselineVersion = DEFAULTS.dataBaselineVersion();

    private int batchSizeMax = DEFAULTS.batchSizeMax();

    private Duration batchTime = DEFAULTS.batchTime();

    // Extension points: Flyway's Java migrations and customizers, and suppliers read late.
    private final List<JavaMigration> javaMigrations = new ArrayList<>();
    private final List<Consumer<FluentConfiguration>> schemaCustomizers = new ArrayList<>();
    private Supplier<List<DataMigration>> dataMigrations = List::of;
    private Supplier<List<MigrationCheck>> checks = List::of;

    MigratorConfiguration(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Set the class loader that finds {@code classpath:} migrations.
     *
     * @param classLoader the class loader
     * @return this builder
     */
    public MigratorConfiguration classLoader(ClassLoader classLoader) {
        this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
        return this;
    }

    /**
     * Set whether the schema track runs; without it, runs apply data migrations only.
     *
     * @param enabled whether to run schema migrations
     * @return this builder
     */
    public MigratorConfiguration schemaEnabled(boolean enabled) {
        this.schemaEnabled = enabled;
        return this;
    }

    /**
     * Set where Flyway finds schema migrations.
     *
     * @param locations {@code classpath:} or {@code filesystem:} locations
     * @return this builder
     */
    public MigratorConfiguration schemaLocations(List<String> locations) {
        this.schemaLocations = List.copyOf(locations);
        return this;
    }

    /** Varargs form of {@link #schemaLocations(List)}. @param locations the locations @return this builder */
    public MigratorConfiguration schemaLocations(String... locations) {
        return schemaLocations(List.of(locations));
    }

    /**
     * Set the schema history table.
     *
     * @param table the table name
     * @return this builder
     */
    public MigratorConfiguration schemaTable(String table) {
        this.schemaTable = table;
        return this;
    }

    /**
     * Set the schemas Flyway manages; the first is the default schema and holds the history tables.
     *
     * @param schemas the schemas, empty for the connection's current schema
     * @return this builder
     */
    public MigratorConfiguration schemas(List<String> schemas) {
        this.schemas = List.copyOf(schemas);
        return this;
    }

    /**
     * Set the schema version to migrate to.
     *
     * @param target {@code latest}, {@code current} or a version
     * @return this builder
     */
    public MigratorConfiguration schemaTarget(String target) {
        this.schemaTarget = target;
        return this;
    }

    /**
     * Set whether to baseline a non-empty schema without a history table on the first run.
     *
     * @param baselineOnMigrate whether to baseline
     * @return this builder
     */
    public MigratorConfiguration baselineOnMigrate(boolean baselineOnMigrate) {
        this.baselineOnMigrate = baselineOnMigrate;
        return this;
    }

    /**
     * Set the version an existing schema is tagged with when baselining.
     *
     * @param version the baseline version
     * @return this builder
     */
    public MigratorConfiguration baselineVersion(String version) {
        this.baselineVersion = version;
        return this;
    }

    /**
     * Add placeholders that Flyway replaces in schema migrations.
     *
     * @param placeholders names and values
     * @return this builder
     */
    public MigratorConfiguration placeholders(Map<String, String> placeholders) {
        this.placeholders.putAll(placeholders);
        return this;
    }

    /**
     * Set whether schema migrations older than the current version still run.
     *
     * @param outOfOrder whether to run them
     * @return this builder
     */
    public MigratorConfiguration outOfOrder(boolean outOfOrder) {
        this.outOfOrder = outOfOrder;
        return this;
    }

    /**
     * Set whether Flyway takes its PostgreSQL lock inside a transaction. Off by default: a
     * transactional lock hangs on {@code CREATE INDEX CONCURRENTLY}.
     *
     * @param transactionalLock whether to use a transactional lock
     * @return this builder
     */
    public MigratorConfiguration postgresqlTransactionalLock(boolean transactionalLock) {
        this.postgresqlTransactionalLock = transactionalLock;
        return this;
    }

    /**
     * Set whether the data track runs.
     *
     * @param enabled whether to run data migrations
     * @return this builder
     */
    public MigratorConfiguration dataEnabled(boolean enabled) {
        this.dataEnabled = enabled;
        return this;
    }

    /**
     * Set where data migration SQL files are found.
     *
     * @param locations {@code classpath:} or {@code filesystem:} locations
     * @return this builder
     */
    public MigratorConfiguration dataLocations(List<String> locations) {
        this.dataLocations = List.copyOf(locations);
        return this;
    }

    /** Varargs form of {@link #dataLocations(List)}. @param locations the locations @return this builder */
    public MigratorConfiguration dataLocations(String... locations) {
        return dataLocations(List.of(locations));
    }

    /**
     * Set the file name prefix of versioned data migrations ({@code D} by default).
     *
     * @param prefix one or more letters
     * @return this builder
     */
    public MigratorConfiguration dataPrefix(String prefix) {
        this.dataPrefix = prefix;
        return this;
    }

    /**
     * Set how data migrations are ordered against schema migrations.
     *
     * @param ordering the ordering
     * @return this builder
     */
    public MigratorConfiguration dataOrdering(DataOrdering ordering) {
        this.dataOrdering = Objects.requireNonNull(ordering, "ordering");
        return this;
    }

    /**
     * Set the data version to migrate to.
     *
     * @param target {@code latest}, {@code current} or a version
     * @return this builder
     */
    public MigratorConfiguration dataTarget(String target) {
        this.dataTarget = target;
        return this;
    }

    /**
     * Set the rows of a backfill's first batch; with {@link #batchTime(Duration)} zero, of every
     * batch.
     *
     * @param rows rows per range; 1,000 by default
     * @return this builder
     */
    public MigratorConfiguration batchSize(int rows) {
        this.batchSize = rows;
        return this;
    }

    /**
     * Set the most rows a backfill batch holds when batches are sized to a time budget.
     *
     * @param rows at least the batch size; 100,000 by default
     * @return this builder
     */
    public MigratorConfiguration batchSizeMax(int rows) {
        this.batchSizeMax = rows;
        return this;
    }

    /**
     * Set how long a backfill batch should take. The first batch holds {@link #batchSize(int)} rows;
     * each next one is sized from the rows per second of the batches before it, up to
     * {@link #batchSizeMax(int)}, and halved after a lock or statement timeout.
     *
     * @param time a duration; 100 ms by default, zero for batches of a fixed size
     * @return this builder
     */
    public MigratorConfiguration batchTime(Duration time) {
        this.batchTime = time;
        return this;
    }

    /**
     * Set the Java data migrations. They are read when a run or status first needs them, so they
     * may be created late (for example Spring beans that need other beans).
     *
     * @param migrations supplies the migrations
     * @return this builder
     */
    public MigratorConfiguration dataMigrations(Supplier<List<DataMigration>> migrations) {
        this.dataMigrations = Objects.requireNonNull(migrations, "migrations");
        return this;
    }

    /**
     * Set the Java data migrations.
     *
     * @param migrations the migrations
     * @return this builder
     */
    public MigratorConfiguration dataMigrations(List<? extends DataMigration> migrations) {
        List<DataMigration> copy = List.copyOf(migrations);
        return dataMigrations(() -> copy);
    }

    /**
     * Set where SQL checks are found: each {@code .sql} file is a query returning the rows that
     * violate it.
     *
     * @param locations {@code classpath:} or {@code filesystem:} locations
     * @return this builder
     */
    public MigratorConfiguration checksLocations(List<String> locations) {
        this.checksLocations = List.copyOf(locations);
        return this;
    }

    /**
     * Set the Java checks. They are read when checks run.
     *
     * @param checks supplies the checks
     * @return this builder
     */
    public MigratorConfiguration checks(Supplier<List<MigrationCheck>> checks) {
        this.checks = Objects.requireNonNull(checks, "checks");
        return this;
    }

    /**
     * Set the data history table; its qualified name also keys the cluster lock.
     *
     * @param table the table name
     * @return this builder
     */
    public MigratorConfiguration dataTable(String table) {
        this.dataTable = table;
        return this;
    }

    /**
     * Set how long a run waits for the cluster lock.
     *
     * @param timeout the longest wait
     * @return this builder
     */
    public MigratorConfiguration lockWaitTimeout(Duration timeout) {
        this.lockWaitTimeout = timeout;
        return this;
    }

    /**
     * Set how often to retry connecting at the start of a run, and the longest wait between two
     * retries (the wait doubles from one second).
     *
     * @param retries the number of retries, 0 for none
     * @param interval the longest wait between retries
     * @return this builder
     */
    public MigratorConfiguration connectRetries(int retries, Duration interval) {
        this.connectRetries = retries;
        this.connectRetriesInterval = interval;
        return this;
    }

    /**
     * Set the {@code application_name} of the lock session, shown to other instances waiting.
     *
     * @param applicationName the name
     * @return this builder
     */
    public MigratorConfiguration applicationName(String applicationName) {
        this.applicationName = applicationName;
        return this;
    }

    /**
     * Set the {@code lock_timeout} of a migration's first try inside a transaction, and the one its
     * tries rise to: a migration waiting for a lock makes every query that needs the same table wait
     * behind it, for as long as this.
     *
     * @param first the first try's timeout, zero for none (which also turns retries off)
     * @param max the last try's timeout
     * @return this builder
     */
    public MigratorConfiguration lockTimeout(Duration first, Duration max) {
        this.lockTimeout = first;
        this.lockTimeoutMax = max;
        return this;
    }

    /**
     * Set how many more times a migration, or a backfill batch, that hit its lock timeout inside a
     * transaction is tried again, rolled back in between, and the pause before the first retry
     * (doubling with each retry, up to 30 s).
     *
     * @param retries the number of retries, 0 for none
     * @param backoff the first pause
     * @return this builder
     */
    public MigratorConfiguration lockRetries(int retries, Duration backoff) {
        this.lockRetries = retries;
        this.lockRetryBackoff = backoff;
        return this;
    }

    /**
     * Set the {@code statement_timeout} of migration statements inside a transaction.
     *
     * @param timeout the timeout, zero for none
     * @return this builder
     */
    public MigratorConfiguration statementTimeout(Duration timeout) {
        this.statementTimeout = timeout;
        return this;
    }

    /**
     * Set the timeouts of statements that run outside a transaction, such as {@code CREATE INDEX
     * CONCURRENTLY}, which waits for every transaction older than itself and takes no lock that
     * makes the service's queries wait.
     *
     * @param lockTimeout their {@code lock_timeout}, zero for none
     * @param statementTimeout their {@code statement_timeout}, zero for none
     * @return this builder
     */
    public MigratorConfiguration nonTransactionalTimeouts(Duration lockTimeout, Duration statementTimeout) {
        this.nonTransactionalLockTimeout = lockTimeout;
        this.nonTransactionalStatementTimeout = statementTimeout;
        return this;
    }

    /**
     * Set whether each migration is observed for the change analysis as it runs: a catalog snapshot
     * before and after it, one query each, and its findings logged and reported.
     *
     * @param analysis whether to analyse
     * @return this builder
     */
    public MigratorConfiguration analysis(boolean analysis) {
        this.analysis = analysis;
        return this;
    }

    /**
     * Set the version an empty data history is baselined at, so that an existing database adopts the
     * data track: the first run records a baseline at it, and the data migrations up to it are taken
     * as applied (work done before migrator). Empty (the default) for none.
     *
     * @param version a data version, or empty
     * @return this builder
     * @since 0.3.0
     */
    public MigratorConfiguration dataBaselineVersion(String version) {
        this.dataBaselineVersion = version;
        return this;
    }

    /**
     * Add Java schema migrations (Flyway {@link JavaMigration}s).
     *
     * @param migrations the migrations
     * @return this builder
     */
    public MigratorConfiguration javaMigrations(List<? extends JavaMigration> migrations) {
        this.javaMigrations.addAll(migrations);
        return this;
    }

    /**
     * Add a customizer of the Flyway configuration of the schema track, applied after migrator's
     * own settings, in the order added.
     *
     * @param customizer the customizer
     * @return this builder
     */
    public MigratorConfiguration schemaCustomizer(Consumer<FluentConfiguration> customizer) {
        this.schemaCustomizers.add(Objects.requireNonNull(customizer, "customizer"));
        return this;
    }

    /**
     * Set how messages name settings and the connection, for an integration whose users configure
     * migrator in other terms (the Spring Boot starter names {@code migrator.*} properties).
     *
     * @param names the names
     * @return this builder
     */
    public MigratorConfiguration settingNames(SettingNames names) {
        this.settingNames = Objects.requireNonNull(names, "names");
        return this;
    }

    /**
     * Validate and return the settings configured so far.
     *
     * @return the settings
     * @throws MigratorException when a setting is invalid; the message names it as the configured
     *     {@linkplain #settingNames(SettingNames) names} do
     */
    public MigratorSettings settings() {
        try {
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
                    this.analysis,
                    this.dataBaselineVersion,
                    this.batchSizeMax,
                    this.batchTime);
        } catch (InvalidSettingException ex) {
            throw ex.named(this.settingNames);
        }
    }

    /**
     * Validate the settings and create the migrator. Does not connect to the database.
     *
     * @return the migrator
     * @throws MigratorException when a setting is invalid
     */
    public Migrator load() {
        return new Migrator(new Migrator.Parts(
                this.dataSource,
                this.classLoader,
                settings(),
                this.settingNames,
                List.copyOf(this.javaMigrations),
                List.copyOf(this.schemaCustomizers),
                this.dataMigrations,
                this.checks));
    }
}
