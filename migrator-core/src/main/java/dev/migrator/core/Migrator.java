package dev.migrator.core;

import dev.migrator.core.check.CheckResult;
import dev.migrator.core.check.MigrationCheck;
import dev.migrator.core.data.DataMigration;
import dev.migrator.core.internal.check.SqlCheck;
import dev.migrator.core.internal.data.DataTrack;
import dev.migrator.core.internal.data.ResolvedDataMigration;
import dev.migrator.core.internal.data.ResourceScanner;
import dev.migrator.core.internal.data.SqlScript;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a PostgreSQL database to the wanted revision, one run at a time across the cluster: the
 * schema track (Flyway) and the data track (migrator's own engine). Obtain one with
 * {@link #configure(DataSource)}; an instance is immutable and thread-safe.
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

    private final Builder source;

    private final MigratorSettings settings;

    private final Connections connections;

    private final ResourceScanner scanner;

    private final SchemaTrack schema;

    private final DataTrack data;

    private final ClusterLock lock;

    private Migrator(Builder source, MigratorSettings settings) {
        this.source = source;
        this.settings = settings;
        this.connections =
                new Connections(source.dataSource, settings.connectRetries(), settings.connectRetriesInterval());
        this.scanner = new ResourceScanner(source.classLoader);
        this.schema = new SchemaTrack(flyway(source, settings), settings.schemaTarget());
        this.data = new DataTrack(
                this.connections,
                this.scanner,
                settings.dataLocations(),
                settings.dataPrefix(),
                settings.defaultSchema(),
                settings.dataTable(),
                settings.dataTarget(),
                settings.batchSize(),
                source.dataMigrations);
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
     * Return a migrator like this one with other targets, for a run that stops elsewhere.
     *
     * @param schemaTarget the schema target, or {@code null} to keep this one's
     * @param dataTarget the data target, or {@code null} to keep this one's
     * @return the migrator with those targets
     * @throws MigratorException when a target is malformed
     */
    public Migrator withTargets(@Nullable String schemaTarget, @Nullable String dataTarget) {
        Builder builder = this.source.copy();
        if (schemaTarget != null) {
            builder.schemaTarget(schemaTarget);
        }
        if (dataTarget != null) {
            builder.dataTarget(dataTarget);
        }
        return builder.load();
    }

    /**
     * Return a migrator like this one that waits at most the given time for the cluster lock, for
     * a run triggered by hand that should give up quickly when another run is under way.
     *
     * @param timeout the longest wait for the lock
     * @return the migrator with that wait
     */
    public Migrator withLockWaitTimeout(Duration timeout) {
        return this.source.copy().lockWaitTimeout(timeout).load();
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
     *     the migrations (for example an unknown target, or an applied migration that changed)
     */
    public MigrationStatus status() {
        probe(this.connections.open());
        SchemaTrack.Snapshot schema = this.schema.read();
        return new MigrationStatus(schema.status(), dataStatus(schema.versions()));
    }

    /**
     * Read where the schema track stands, without resolving data migrations (so Java data
     * migrations are not asked for). Takes no lock and changes nothing.
     *
     * @return the status of the schema track
     * @throws MigratorException when the database cannot be reached or the configuration does not fit
     *     the migrations
     */
    public TrackStatus schemaStatus() {
        // Probe first so that an unreachable database gets a plain message rather than Flyway's.
        probe(this.connections.open());
        return this.schema.status();
    }

    /**
     * Wait until the database accepts connections, retrying as configured by
     * {@link Builder#connectRetries(int, Duration)}. Runs wait on their own; reads (status, history,
     * checks) try once, so that health checks answer quickly. Call this before reading at startup.
     *
     * @throws MigratorException when the database stays unreachable, or refuses the credentials
     */
    public void awaitDatabase() {
        probe(this.connections.openWaiting());
    }

    private static void probe(Connection connection) {
        try (connection) {
            logger.trace("Connected to {}", connection.getMetaData().getURL());
        } catch (SQLException ex) {
            logger.debug("Could not close the probe connection", ex);
        }
    }

    private TrackStatus dataStatus(SchemaTrack.Versions versions) {
        if (!this.settings.dataEnabled()) {
            return new TrackStatus(Optional.empty(), this.settings.dataTarget(), List.of(), List.of());
        }
        DataTrack.State state = this.data.read();
        List<MigrationEntry> pending = new ArrayList<>();
        if (!state.pending().isEmpty()) {
            List<ResolvedDataMigration> waiting =
                    plan(true, versions, state.pending()).waiting();
            String reaches =
                    versions.atTarget().map(MigrationVersion::getVersion).orElse("no version");
            for (ResolvedDataMigration migration : state.pending()) {
                pending.add(
                        waiting.contains(migration)
                                ? migration
                                        .entry()
                                        .withReason("waits for schema "
                                                + migration
                                                        .afterSchema()
                                                        .map(MigrationVersion::getVersion)
                                                        .orElse("?")
                                                + "; the schema target '" + this.settings.schemaTarget()
                                                + "' reaches " + reaches)
                                : migration.entry());
            }
        }
        return new TrackStatus(state.current(), this.settings.dataTarget(), pending, state.failed());
    }

    /**
     * Return the applied migrations of both tracks as one timeline, oldest first.
     *
     * @return the history entries, empty for a fresh database
     */
    public List<HistoryEntry> history() {
        Stream<HistoryEntry> data = this.settings.dataEnabled() ? this.data.history().stream() : Stream.empty();
        return Stream.concat(this.schema.history().stream(), data)
                .sorted(Comparator.comparing(HistoryEntry::installedOn)
                        .thenComparing(HistoryEntry::track)
                        .thenComparing(HistoryEntry::installedRank))
                .toList();
    }

    /**
     * Return what {@link #migrate()} would run now, in order, with the SQL of each SQL migration;
     * Java migrations are named, not run. Takes no lock and changes nothing. SQL is shown as written,
     * before Flyway placeholders are replaced.
     *
     * @return the steps, empty when everything is up to date
     */
    public List<PreviewStep> preview() {
        List<ResolvedDataMigration> dataPending =
                this.settings.dataEnabled() ? this.data.read().pending() : List.of();
        SchemaTrack.Snapshot schema = this.schema.read();
        SchemaTrack.Versions versions = schema.versions();
        List<MigrationEntry> schemaPending = new ArrayList<>(schema.status().pending());
        Map<String, String> scripts = this.scanner.scan(this.settings.schemaLocations(), ".sql").stream()
                .collect(Collectors.toMap(
                        ResourceScanner.Resource::relativePath, ResourceScanner.Resource::read, (a, b) -> a));
        Function<MigrationEntry, PreviewStep> schemaStep =
                entry -> new PreviewStep(Track.SCHEMA, entry, Optional.ofNullable(scripts.get(entry.script())));
        List<PreviewStep> steps = new ArrayList<>();
        for (RunPlan.Step step : plan(true, versions, dataPending).steps()) {
            if (step instanceof RunPlan.SchemaTo schemaTo) {
                List<MigrationEntry> due = schemaPending.stream()
                        .filter(entry -> schemaTo.version().isEmpty()
                                || entry.version()
                                        .map(v -> MigrationVersion.fromVersion(v)
                                                        .compareTo(schemaTo.version()
                                                                .get())
                                                <= 0)
                                        .orElse(false))
                        .toList();
                due.forEach(entry -> steps.add(schemaStep.apply(entry)));
                schemaPending.removeAll(due);
            } else if (step instanceof RunPlan.ApplyData applyData) {
                ResolvedDataMigration migration = applyData.migration();
                steps.add(new PreviewStep(
                        Track.DATA,
                        migration.entry(),
                        migration
                                .sql()
                                .map(script -> script.statements().stream()
                                        .map(SqlScript.Statement::sql)
                                        .collect(Collectors.joining(";\n", "", ";")))));
            }
        }
        return steps;
    }

    /**
     * Validate the local migrations of both tracks against the history: changed, missing, duplicated
     * or misnamed migrations. Pending migrations are not problems. Takes no lock and changes nothing.
     *
     * @return the problems found, empty when valid
     */
    public ValidationResult validate() {
        List<String> problems = new ArrayList<>(this.schema.validate());
        if (this.settings.dataEnabled()) {
            problems.addAll(this.data.validate());
        }
        return new ValidationResult(problems);
    }

    /**
     * Run every check: the built-in ones (each track at its target, no failed migration, applied
     * checksums valid), the SQL checks in the checks locations and the Java checks. A check that
     * throws is reported as failed with its error.
     *
     * @return one result per check, built-in ones first
     */
    public List<CheckResult> check() {
        List<CheckResult> results = new ArrayList<>();
        ValidationResult validation = validate();
        results.add(
                validation.isValid()
                        ? CheckResult.passed("checksums-valid", "applied migrations match their files")
                        : CheckResult.failed("checksums-valid", String.join(" ", validation.problems())));
        if (!validation.isValid()) {
            return results;
        }
        MigrationStatus status = status();
        results.add(atTarget("schema-at-target", status.schema()));
        results.add(atTarget("data-at-target", status.data()));
        List<MigrationEntry> failed = Stream.concat(status.schema().failed().stream(), status.data().failed().stream())
                .toList();
        results.add(
                failed.isEmpty()
                        ? CheckResult.passed("no-failed-migrations", "no migration is recorded as failed")
                        : CheckResult.failed("no-failed-migrations", "recorded as failed: " + names(failed)));
        List<MigrationCheck> checks = new ArrayList<>(SqlCheck.load(this.scanner, this.settings.checksLocations()));
        checks.addAll(this.source.checks.get());
        for (MigrationCheck check : checks) {
            results.add(run(check));
        }
        return results;
    }

    private static CheckResult atTarget(String name, TrackStatus status) {
        return status.pending().isEmpty()
                ? CheckResult.passed(
                        name, "at " + status.current().orElse("no version") + ", target " + status.target())
                : CheckResult.failed(name, status.pending().size() + " pending: " + names(status.pending()));
    }

    private static String names(List<MigrationEntry> entries) {
        return entries.stream().map(MigrationEntry::displayName).collect(Collectors.joining(", "));
    }

    private CheckResult run(MigrationCheck check) {
        try (Connection connection = this.connections.open()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try {
                return check.run(connection);
            } finally {
                connection.rollback();
                connection.setReadOnly(false);
            }
        } catch (Exception ex) {
            SQLException sqlException = Connections.findSqlException(ex);
            return CheckResult.failed(
                    check.name(),
                    "error: " + Connections.firstLine(sqlException != null ? sqlException : ex)
                            + (sqlException != null && sqlException.getSQLState() != null
                                    ? " (SQL state " + sqlException.getSQLState() + ")"
                                    : ""));
        }
    }

    private RunPlan plan(boolean schemaPhase, SchemaTrack.Versions versions, List<ResolvedDataMigration> dataPending) {
        boolean byVersion = schemaPhase && this.settings.dataOrdering() == DataOrdering.BY_VERSION;
        return RunPlan.of(byVersion, schemaPhase, versions.current(), versions.reachable(), dataPending);
    }

    /**
     * Apply pending migrations of both tracks up to their targets, holding the cluster lock for the
     * whole run: with {@link DataOrdering#AFTER_SCHEMA} the schema track first, then the data track;
     * with {@link DataOrdering#BY_VERSION} both merged by version.
     *
     * @return the report of the run
     * @throws MigrationFailedException when the run fails; it carries the report and its cause says
     *     what failed (a {@link dev.migrator.core.lock.LockTimeoutException} when the lock was not
     *     obtained)
     */
    public RunReport migrate() {
        return run(true, true);
    }

    /**
     * Apply pending schema migrations only, under the cluster lock. With
     * {@link DataOrdering#BY_VERSION} the schema and data steps alternate, so this runs both tracks,
     * like {@link #migrate()}.
     *
     * @return the report of the run
     * @throws MigrationFailedException when the run fails
     */
    public RunReport migrateSchema() {
        return run(true, false);
    }

    /**
     * Apply pending data migrations only, under the cluster lock, after the schema is migrated.
     *
     * @return the report of the run
     * @throws MigrationFailedException when the run fails
     */
    public RunReport migrateData() {
        return run(false, true);
    }

    private RunReport run(boolean schemaPhase, boolean dataPhase) {
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        List<AppliedMigration> schemaApplied = new ArrayList<>();
        List<AppliedMigration> dataApplied = new ArrayList<>();
        try (ClusterLock.Held held = this.lock.acquire(this.settings.lockWaitTimeout())) {
            boolean byVersion = schemaPhase && this.settings.dataOrdering() == DataOrdering.BY_VERSION;
            boolean dataRuns = this.settings.dataEnabled() && (dataPhase || byVersion);
            List<ResolvedDataMigration> dataPending =
                    dataRuns ? this.data.read().pending() : List.of();
            if (dataPending.isEmpty()) {
                // The common case at startup: no schema versions to read for planning.
                if (schemaPhase) {
                    schemaApplied.addAll(this.schema.migrate(schemaApplied::addAll));
                }
            } else {
                execute(plan(schemaPhase, this.schema.versions(), dataPending), schemaApplied, dataApplied);
            }
            RunReport report = new RunReport(
                    startedAt,
                    elapsedSince(start),
                    RunReport.Outcome.SUCCESS,
                    schemaApplied,
                    dataApplied,
                    Optional.empty());
            logger.info(
                    "Migration run succeeded in {} ms: {} schema and {} data migration(s) applied",
                    report.duration().toMillis(),
                    schemaApplied.size(),
                    dataApplied.size());
            return report;
        } catch (MigratorException ex) {
            RunReport report = new RunReport(
                    startedAt,
                    elapsedSince(start),
                    RunReport.Outcome.FAILED,
                    schemaApplied,
                    dataApplied,
                    Optional.of(ex.getMessage()));
            throw new MigrationFailedException(ex, report);
        }
    }

    private void execute(RunPlan plan, List<AppliedMigration> schemaApplied, List<AppliedMigration> dataApplied) {
        DataTrack.Session session = null;
        try {
            for (RunPlan.Step step : plan.steps()) {
                if (step instanceof RunPlan.SchemaTo schemaTo) {
                    schemaApplied.addAll(
                            schemaTo.version().isPresent()
                                    ? this.schema.migrateTo(schemaTo.version().get(), schemaApplied::addAll)
                                    : this.schema.migrate(schemaApplied::addAll));
                } else if (step instanceof RunPlan.ApplyData applyData) {
                    if (session == null) {
                        session = this.data.session();
                    }
                    dataApplied.add(applyData(session, applyData.migration(), applyData.schemaVersion()));
                }
            }
        } finally {
            if (session != null) {
                session.close();
            }
        }
        for (ResolvedDataMigration migration : plan.waiting()) {
            logger.warn(
                    "Data migration {} waits for schema {}, which the schema target does not reach; it stays pending",
                    migration.script(),
                    migration.afterSchema().map(MigrationVersion::getVersion).orElse("?"));
        }
    }

    private AppliedMigration applyData(
            DataTrack.Session session, ResolvedDataMigration migration, Optional<MigrationVersion> schemaVersion) {
        try {
            return session.apply(migration, schemaVersion.map(MigrationVersion::getVersion));
        } catch (MigratorException ex) {
            boolean olderThanSchema = this.settings.dataOrdering() == DataOrdering.AFTER_SCHEMA
                    && migration.version().isPresent()
                    && schemaVersion.isPresent()
                    && migration.version().get().compareTo(schemaVersion.get()) < 0;
            if (!olderThanSchema || ex.code() != ErrorCode.MIGRATION) {
                throw ex;
            }
            // The classic cause: a data migration written for the schema of its version, run after later DDL.
            throw new MigratorException(
                    ex.code(),
                    ex.description(),
                    ex.action() + " Note: it has version "
                            + migration.version().get().getVersion()
                            + " but ran after every schema migration (schema is at "
                            + schemaVersion.get().getVersion()
                            + ", migrator.data.ordering=after-schema); if it was written for the schema of its"
                            + " version, set migrator.data.ordering=by-version.",
                    ex.getCause());
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

        private boolean dataEnabled;

        private List<String> dataLocations;

        private String dataPrefix;

        private DataOrdering dataOrdering;

        private String dataTarget;

        private int batchSize;

        private Supplier<List<DataMigration>> dataMigrations = List::of;

        private List<String> checksLocations;

        private Supplier<List<MigrationCheck>> checks = List::of;

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
            this.dataEnabled = defaults.dataEnabled();
            this.dataLocations = defaults.dataLocations();
            this.dataPrefix = defaults.dataPrefix();
            this.dataOrdering = defaults.dataOrdering();
            this.dataTable = defaults.dataTable();
            this.dataTarget = defaults.dataTarget();
            this.batchSize = defaults.batchSize();
            this.checksLocations = defaults.checksLocations();
            this.lockWaitTimeout = defaults.lockWaitTimeout();
            this.connectRetries = defaults.connectRetries();
            this.connectRetriesInterval = defaults.connectRetriesInterval();
            this.applicationName = defaults.applicationName();
        }

        private Builder copy() {
            Builder copy = new Builder(this.dataSource);
            copy.classLoader = this.classLoader;
            copy.schemaLocations = this.schemaLocations;
            copy.schemaTable = this.schemaTable;
            copy.schemas = this.schemas;
            copy.schemaTarget = this.schemaTarget;
            copy.baselineOnMigrate = this.baselineOnMigrate;
            copy.baselineVersion = this.baselineVersion;
            copy.placeholders.putAll(this.placeholders);
            copy.outOfOrder = this.outOfOrder;
            copy.postgresqlTransactionalLock = this.postgresqlTransactionalLock;
            copy.dataEnabled = this.dataEnabled;
            copy.dataLocations = this.dataLocations;
            copy.dataPrefix = this.dataPrefix;
            copy.dataOrdering = this.dataOrdering;
            copy.dataTable = this.dataTable;
            copy.dataTarget = this.dataTarget;
            copy.batchSize = this.batchSize;
            copy.checksLocations = this.checksLocations;
            copy.lockWaitTimeout = this.lockWaitTimeout;
            copy.connectRetries = this.connectRetries;
            copy.connectRetriesInterval = this.connectRetriesInterval;
            copy.applicationName = this.applicationName;
            copy.javaMigrations.addAll(this.javaMigrations);
            copy.schemaCustomizers.addAll(this.schemaCustomizers);
            copy.dataMigrations = this.dataMigrations;
            copy.checks = this.checks;
            return copy;
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
         * Set whether the data track runs.
         *
         * @param enabled whether to run data migrations
         * @return this builder
         */
        public Builder dataEnabled(boolean enabled) {
            this.dataEnabled = enabled;
            return this;
        }

        /**
         * Set where data migration SQL files are found.
         *
         * @param locations {@code classpath:} or {@code filesystem:} locations
         * @return this builder
         */
        public Builder dataLocations(List<String> locations) {
            this.dataLocations = List.copyOf(locations);
            return this;
        }

        /**
         * Set where data migration SQL files are found.
         *
         * @param locations {@code classpath:} or {@code filesystem:} locations
         * @return this builder
         */
        public Builder dataLocations(String... locations) {
            return dataLocations(List.of(locations));
        }

        /**
         * Set the file name prefix of versioned data migrations ({@code D} by default).
         *
         * @param prefix one or more letters
         * @return this builder
         */
        public Builder dataPrefix(String prefix) {
            this.dataPrefix = prefix;
            return this;
        }

        /**
         * Set how data migrations are ordered against schema migrations.
         *
         * @param ordering the ordering
         * @return this builder
         */
        public Builder dataOrdering(DataOrdering ordering) {
            this.dataOrdering = Objects.requireNonNull(ordering, "ordering");
            return this;
        }

        /**
         * Set the data version to migrate to.
         *
         * @param target {@code latest}, {@code current} or a version
         * @return this builder
         */
        public Builder dataTarget(String target) {
            this.dataTarget = target;
            return this;
        }

        /**
         * Set the default number of rows per range of a backfill.
         *
         * @param rows rows per range
         * @return this builder
         */
        public Builder batchSize(int rows) {
            this.batchSize = rows;
            return this;
        }

        /**
         * Set the Java data migrations. They are read when a run or status first needs them, so they
         * may be created late (for example Spring beans that need other beans).
         *
         * @param migrations supplies the migrations
         * @return this builder
         */
        public Builder dataMigrations(Supplier<List<DataMigration>> migrations) {
            this.dataMigrations = Objects.requireNonNull(migrations, "migrations");
            return this;
        }

        /**
         * Set the Java data migrations.
         *
         * @param migrations the migrations
         * @return this builder
         */
        public Builder dataMigrations(List<? extends DataMigration> migrations) {
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
        public Builder checksLocations(List<String> locations) {
            this.checksLocations = List.copyOf(locations);
            return this;
        }

        /**
         * Set the Java checks. They are read when checks run.
         *
         * @param checks supplies the checks
         * @return this builder
         */
        public Builder checks(Supplier<List<MigrationCheck>> checks) {
            this.checks = Objects.requireNonNull(checks, "checks");
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
                    this.applicationName);
            return new Migrator(copy(), settings);
        }
    }
}
