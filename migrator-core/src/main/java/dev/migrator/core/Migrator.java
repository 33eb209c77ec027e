package dev.migrator.core;

import dev.migrator.core.internal.jdbc.Connections;
import dev.migrator.core.internal.lock.ClusterLock;
import dev.migrator.core.internal.lock.PostgresClusterLock;
import dev.migrator.core.internal.schema.SchemaTrack;
import dev.migrator.core.lock.LockHolder;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a PostgreSQL database to the wanted revision, one run at a time across the cluster.
 * Obtain one with {@link #configure(DataSource)}; an instance is immutable and thread-safe.
 *
 * <pre>{@code
 * Migrator migrator = Migrator.configure(dataSource).schemaLocations("classpath:db/migration").load();
 * RunReport report = migrator.migrate();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Migrator {

    private static final Logger logger = LoggerFactory.getLogger(Migrator.class);

    private final MigratorSettings settings;

    private final Connections connections;

    private final SchemaTrack schema;

    private final ClusterLock lock;

    private Migrator(Builder builder, MigratorSettings settings) {
        this.settings = settings;
        this.connections =
                new Connections(builder.dataSource, settings.connectRetries(), settings.connectRetriesInterval());
        this.schema = new SchemaTrack(flyway(builder, settings), settings.schemaTarget());
        this.lock = new PostgresClusterLock(
                this.connections, settings.defaultSchema(), settings.dataTable(), settings.applicationName());
    }

    /**
     * Start configuring a migrator for the given database.
     *
     * @param dataSource where to migrate; migrator borrows connections and returns them
     * @return a builder with the {@linkplain MigratorSettings#defaults() defaults}
     */
    public static Builder configure(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * Return the settings this migrator runs with.
     *
     * @return the settings, never {@code null}
     */
    public MigratorSettings settings() {
        return this.settings;
    }

    /**
     * Return the Flyway instance that runs the schema track, for tools that read Flyway's state.
     * Migrating through it directly bypasses migrator's cluster lock and reports.
     *
     * @return the Flyway instance, never {@code null}
     */
    public Flyway flyway() {
        return this.schema.flyway();
    }

    /**
     * Read where the database stands. Takes no lock and changes nothing.
     *
     * @return the status of each track
     * @throws MigratorException when the database cannot be reached or the configuration does not fit
     *     the migrations (for example an unknown target)
     */
    public MigrationStatus status() {
        // Probe first so that an unreachable database gets the connection retries and a plain message.
        try (Connection connection = this.connections.open()) {
            logger.trace("Connected to {}", connection.getMetaData().getURL());
        } catch (SQLException ex) {
            logger.debug("Could not close the probe connection", ex);
        }
        return new MigrationStatus(this.schema.status());
    }

    /**
     * Apply pending migrations up to the targets, holding the cluster lock for the whole run.
     *
     * @return the report of the run
     * @throws MigrationFailedException when the run fails; it carries the report and its cause says
     *     what failed (a {@link dev.migrator.core.lock.LockTimeoutException} when the lock was not
     *     obtained)
     */
    public RunReport migrate() {
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        List<AppliedMigration> schemaApplied = new ArrayList<>();
        try (ClusterLock.Held held = this.lock.acquire(this.settings.lockWaitTimeout())) {
            schemaApplied.addAll(this.schema.migrate(schemaApplied::addAll));
            RunReport report = new RunReport(
                    startedAt, elapsedSince(start), RunReport.Outcome.SUCCESS, schemaApplied, Optional.empty());
            logger.info(
                    "Migration run succeeded in {} ms: {} schema migration(s) applied",
                    report.duration().toMillis(),
                    schemaApplied.size());
            return report;
        } catch (MigratorException ex) {
            RunReport report = new RunReport(
                    startedAt,
                    elapsedSince(start),
                    RunReport.Outcome.FAILED,
                    schemaApplied,
                    Optional.of(ex.getMessage()));
            throw new MigrationFailedException(ex, report);
        }
    }

    /**
     * Return the session holding the cluster lock now.
     *
     * @return the holder, empty when no run is under way
     */
    public Optional<LockHolder> lockHolder() {
        return this.lock.holder();
    }

    private static Duration elapsedSince(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static Flyway flyway(Builder builder, MigratorSettings settings) {
        FluentConfiguration configuration = Flyway.configure(builder.classLoader)
                .dataSource(builder.dataSource)
                .locations(settings.schemaLocations().toArray(String[]::new))
                .table(settings.schemaTable())
                .target(settings.schemaTarget())
                .baselineOnMigrate(settings.baselineOnMigrate())
                .baselineVersion(settings.baselineVersion())
                .placeholders(settings.placeholders())
                .outOfOrder(settings.outOfOrder())
                .javaMigrations(builder.javaMigrations.toArray(JavaMigration[]::new));
        if (!settings.schemas().isEmpty()) {
            configuration.schemas(settings.schemas().toArray(String[]::new));
        }
        PostgreSQLConfigurationExtension postgresql =
                configuration.getPluginRegister().getExact(PostgreSQLConfigurationExtension.class);
        if (postgresql != null) {
            postgresql.setTransactionalLock(settings.postgresqlTransactionalLock());
        }
        builder.schemaCustomizers.forEach(customizer -> customizer.accept(configuration));
        return configuration.load();
    }

    /**
     * Collects the settings of a {@link Migrator}. Not thread-safe; {@link #load()} gives the
     * immutable migrator.
     *
     * @since 0.1.0
     */
    public static final class Builder {

        private final DataSource dataSource;

        private ClassLoader classLoader;

        private List<String> schemaLocations;

        private String schemaTable;

        private List<String> schemas;

        private String schemaTarget;

        private boolean baselineOnMigrate;

        private String baselineVersion;

        private final Map<String, String> placeholders = new LinkedHashMap<>();

        private boolean outOfOrder;

        private boolean postgresqlTransactionalLock;

        private String dataTable;

        private Duration lockWaitTimeout;

        private int connectRetries;

        private Duration connectRetriesInterval;

        private String applicationName;

        private final List<JavaMigration> javaMigrations = new ArrayList<>();

        private final List<Consumer<FluentConfiguration>> schemaCustomizers = new ArrayList<>();

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.classLoader = Objects.requireNonNullElse(
                    Thread.currentThread().getContextClassLoader(), Migrator.class.getClassLoader());
            MigratorSettings defaults = MigratorSettings.defaults();
            this.schemaLocations = defaults.schemaLocations();
            this.schemaTable = defaults.schemaTable();
            this.schemas = defaults.schemas();
            this.schemaTarget = defaults.schemaTarget();
            this.baselineOnMigrate = defaults.baselineOnMigrate();
            this.baselineVersion = defaults.baselineVersion();
            this.placeholders.putAll(defaults.placeholders());
            this.outOfOrder = defaults.outOfOrder();
            this.postgresqlTransactionalLock = defaults.postgresqlTransactionalLock();
            this.dataTable = defaults.dataTable();
            this.lockWaitTimeout = defaults.lockWaitTimeout();
            this.connectRetries = defaults.connectRetries();
            this.connectRetriesInterval = defaults.connectRetriesInterval();
            this.applicationName = defaults.applicationName();
        }

        /**
         * Set the class loader that finds {@code classpath:} migrations.
         *
         * @param classLoader the class loader
         * @return this builder
         */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
            return this;
        }

        /**
         * Set where Flyway finds schema migrations.
         *
         * @param locations {@code classpath:} or {@code filesystem:} locations
         * @return this builder
         */
        public Builder schemaLocations(List<String> locations) {
            this.schemaLocations = List.copyOf(locations);
            return this;
        }

        /**
         * Set where Flyway finds schema migrations.
         *
         * @param locations {@code classpath:} or {@code filesystem:} locations
         * @return this builder
         */
        public Builder schemaLocations(String... locations) {
            return schemaLocations(List.of(locations));
        }

        /**
         * Set the schema history table.
         *
         * @param table the table name
         * @return this builder
         */
        public Builder schemaTable(String table) {
            this.schemaTable = table;
            return this;
        }

        /**
         * Set the schemas Flyway manages; the first is the default schema and holds the history tables.
         *
         * @param schemas the schemas, empty for the connection's current schema
         * @return this builder
         */
        public Builder schemas(List<String> schemas) {
            this.schemas = List.copyOf(schemas);
            return this;
        }

        /**
         * Set the schema version to migrate to.
         *
         * @param target {@code latest}, {@code current} or a version
         * @return this builder
         */
        public Builder schemaTarget(String target) {
            this.schemaTarget = target;
            return this;
        }

        /**
         * Set whether to baseline a non-empty schema without a history table on the first run.
         *
         * @param baselineOnMigrate whether to baseline
         * @return this builder
         */
        public Builder baselineOnMigrate(boolean baselineOnMigrate) {
            this.baselineOnMigrate = baselineOnMigrate;
            return this;
        }

        /**
         * Set the version an existing schema is tagged with when baselining.
         *
         * @param version the baseline version
         * @return this builder
         */
        public Builder baselineVersion(String version) {
            this.baselineVersion = version;
            return this;
        }

        /**
         * Add placeholders that Flyway replaces in schema migrations.
         *
         * @param placeholders names and values
         * @return this builder
         */
        public Builder placeholders(Map<String, String> placeholders) {
            this.placeholders.putAll(placeholders);
            return this;
        }

        /**
         * Set whether schema migrations older than the current version still run.
         *
         * @param outOfOrder whether to run them
         * @return this builder
         */
        public Builder outOfOrder(boolean outOfOrder) {
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
        public Builder postgresqlTransactionalLock(boolean transactionalLock) {
            this.postgresqlTransactionalLock = transactionalLock;
            return this;
        }

        /**
         * Set the data history table; its qualified name also keys the cluster lock.
         *
         * @param table the table name
         * @return this builder
         */
        public Builder dataTable(String table) {
            this.dataTable = table;
            return this;
        }

        /**
         * Set how long a run waits for the cluster lock.
         *
         * @param timeout the longest wait
         * @return this builder
         */
        public Builder lockWaitTimeout(Duration timeout) {
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
        public Builder connectRetries(int retries, Duration interval) {
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
        public Builder applicationName(String applicationName) {
            this.applicationName = applicationName;
            return this;
        }

        /**
         * Add Java schema migrations (Flyway {@link JavaMigration}s).
         *
         * @param migrations the migrations
         * @return this builder
         */
        public Builder javaMigrations(List<? extends JavaMigration> migrations) {
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
        public Builder schemaCustomizer(Consumer<FluentConfiguration> customizer) {
            this.schemaCustomizers.add(Objects.requireNonNull(customizer, "customizer"));
            return this;
        }

        /**
         * Validate the settings and create the migrator. Does not connect to the database.
         *
         * @return the migrator
         * @throws MigratorException when a setting is invalid
         */
        public Migrator load() {
            MigratorSettings settings = new MigratorSettings(
                    this.schemaLocations,
                    this.schemaTable,
                    this.schemas,
                    this.schemaTarget,
                    this.baselineOnMigrate,
                    this.baselineVersion,
                    this.placeholders,
                    this.outOfOrder,
                    this.postgresqlTransactionalLock,
                    this.dataTable,
                    this.lockWaitTimeout,
                    this.connectRetries,
                    this.connectRetriesInterval,
                    this.applicationName);
            return new Migrator(this, settings);
        }
    }
}
