package dev.migrator.core;

import dev.migrator.core.check.CheckResult;
import dev.migrator.core.check.MigrationCheck;
import dev.migrator.core.data.DataMigration;
import dev.migrator.core.internal.catalog.Catalog;
import dev.migrator.core.internal.check.Checks;
import dev.migrator.core.internal.data.Batching;
import dev.migrator.core.internal.data.DataTrack;
import dev.migrator.core.internal.data.DataTrackState;
import dev.migrator.core.internal.data.ResolvedDataMigration;
import dev.migrator.core.internal.jdbc.Connections;
import dev.migrator.core.internal.lock.ClusterLock;
import dev.migrator.core.internal.lock.PostgresClusterLock;
import dev.migrator.core.internal.resource.ResourceScanner;
import dev.migrator.core.internal.run.Preview;
import dev.migrator.core.internal.run.Rehearser;
import dev.migrator.core.internal.run.RunPlan;
import dev.migrator.core.internal.run.Runner;
import dev.migrator.core.internal.run.StatusCache;
import dev.migrator.core.internal.run.Undoer;
import dev.migrator.core.internal.schema.SchemaFlyway;
import dev.migrator.core.internal.schema.SchemaTrack;
import dev.migrator.core.internal.timeout.BlockerProbe;
import dev.migrator.core.internal.timeout.SessionTimeouts;
import dev.migrator.core.lock.LockHolder;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a PostgreSQL database to the wanted revision, one run at a time across the cluster: the
 * schema track (Flyway) and the data track (migrator's own engine). Obtain one with
 * {@link #configure(DataSource)}; an instance is immutable and thread-safe. Options of a single
 * operation (other targets, a shorter lock wait) are passed as {@link RunOptions}.
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

    private final Parts parts;

    private final Connections connections;

    private final Rehearser rehearser;

    private final ResourceScanner scanner;

    private final SchemaTrack schema;

    private final DataTrack data;

    private final ClusterLock lock;

    private final Checks checks;

    private final Runner runner;

    private final Undoer undoer;

    private final StatusCache statusCache = new StatusCache();

    /** What {@link MigratorConfiguration#load()} hands over. */
    record Parts(
            DataSource dataSource,
            ClassLoader classLoader,
            MigratorSettings settings,
            SettingNames names,
            List<JavaMigration> javaMigrations,
            List<Consumer<FluentConfiguration>> schemaCustomizers,
            Supplier<List<DataMigration>> dataMigrations,
            Supplier<List<MigrationCheck>> checks) {}

    Migrator(Parts parts) {
        this.parts = parts;
        MigratorSettings settings = parts.settings();
        this.settings = settings;
        this.connections = new Connections(
                parts.dataSource(), settings.connectRetries(), settings.connectRetriesInterval(), parts.names());
        this.scanner = new ResourceScanner(parts.classLoader());
        SessionTimeouts timeouts = new SessionTimeouts(settings, parts.names());
        BlockerProbe probe = new BlockerProbe(this.connections);
        this.schema = new SchemaTrack(
                SchemaFlyway.create(
                        parts.dataSource(),
                        parts.classLoader(),
                        settings,
                        parts.javaMigrations(),
                        parts.schemaCustomizers(),
                        timeouts,
                        probe),
                settings.schemaEnabled(),
                settings.schemaTarget(),
                parts.names(),
                timeouts);
        this.data = new DataTrack(
                this.connections,
                this.scanner,
                settings.dataLocations(),
                settings.dataPrefix(),
                settings.defaultSchema(),
                settings.dataTable(),
                new Batching(settings.batchSize(), settings.batchSizeMax(), settings.batchTime()),
                parts.dataMigrations(),
                timeouts,
                probe,
                settings.analysis(),
                settings.dataBaselineVersion());
        this.lock = new PostgresClusterLock(
                this.connections, settings.defaultSchema(), settings.dataTable(), settings.applicationName());
        this.checks = new Checks(this.connections, this.scanner, settings.checksLocations(), parts.checks());
        this.runner = new Runner(settings, parts.names(), this.schema, this.data, this.lock);
        this.rehearser =
                new Rehearser(settings, this.schema, this.data, this.lock, this.connections, timeouts, this.scanner);
        this.undoer = new Undoer(
                settings, parts.names(), this.schema, this.data, this.lock, this.connections, timeouts, this.scanner);
    }

    /**
     * Start configuring a migrator for the given database.
     *
     * @param dataSource where to migrate; migrator borrows connections and returns them
     * @return a configuration with the {@linkplain MigratorSettings#defaults() defaults}
     */
    public static MigratorConfiguration configure(DataSource dataSource) {
        return new MigratorConfiguration(dataSource);
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
     * Read where the database stands against the configured targets. Takes no lock and changes
     * nothing.
     *
     * @return the status of each track
     * @throws MigratorException when the database cannot be reached or the configuration does not fit
     *     the migrations (for example an unknown target, or an applied migration that changed)
     */
    public MigrationStatus status() {
        return status(RunOptions.defaults());
    }

    /**
     * Read where the database stands against the targets of the given options. Takes no lock and
     * changes nothing.
     *
     * @param options the targets to read against
     * @return the status of each track
     * @throws MigratorException like {@link #status()}
     */
    public MigrationStatus status(RunOptions options) {
        String schemaTarget = options.schemaTarget(this.settings);
        String dataTarget = options.dataTarget(this.settings);
        try (Connection connection = this.connections.open()) {
            List<String> tables = new ArrayList<>();
            if (this.settings.schemaEnabled()) {
                tables.add(this.schema.historyTable(connection));
            }
            if (this.settings.dataEnabled()) {
                tables.addAll(this.data.tables(connection));
            }
            return this.statusCache.read(connection, tables, schemaTarget, dataTarget, read -> {
                SchemaTrack.Snapshot schema = this.schema.read(schemaTarget);
                TrackStatus data = dataStatus(options, schema.versions());
                return new MigrationStatus(
                        schema.status(), data, this.settings.dataEnabled() ? this.data.backfills(read) : List.of());
            });
        } catch (SQLException ex) {
            throw new MigratorException(
                    ErrorCode.CONNECTION,
                    "Could not read the migration status: '" + Connections.firstLine(ex) + "'.",
                    "Check that the database is reachable and the history tables can be read.",
                    ex);
        }
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
        return this.schema.read(this.settings.schemaTarget()).status();
    }

    /**
     * Wait until the database accepts connections, retrying as configured by
     * {@link MigratorConfiguration#connectRetries(int, java.time.Duration)}. Runs wait on their own;
     * reads (status, history, checks) try once, so that health checks answer quickly. Call this
     * before reading at startup.
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

    private TrackStatus dataStatus(RunOptions options, SchemaTrack.Versions versions) {
        String target = options.dataTarget(this.settings);
        if (!this.settings.dataEnabled()) {
            return new TrackStatus(Optional.empty(), target, List.of(), List.of());
        }
        DataTrackState state = this.data.read(target);
        List<ResolvedDataMigration> waiting = RunPlan.of(this.settings.dataOrdering(), true, versions, state.pending())
                .waiting();
        String reaches = versions.atTarget().map(MigrationVersion::getVersion).orElse("no version");
        List<MigrationEntry> pending = state.pending().stream()
                .map(migration -> waiting.contains(migration)
                        ? migration
                                .entry()
                                .withReason("waits for schema "
                                        + migration
                                                .afterSchema()
                                                .map(MigrationVersion::getVersion)
                                                .orElse("?")
                                        + "; the schema target '" + options.schemaTarget(this.settings)
                                        + "' reaches " + reaches)
                        : migration.entry())
                .toList();
        return new TrackStatus(state.current(), target, pending, state.failed());
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
     * before Flyway placeholders are replaced, with credentials masked.
     *
     * @return the steps, empty when everything is up to date
     */
    public List<PreviewStep> preview() {
        return preview(RunOptions.defaults());
    }

    /**
     * Return what {@link #migrate(RunOptions)} would run now with the given options.
     *
     * @param options the targets of the run to preview
     * @return the steps, empty when everything is up to date
     */
    public List<PreviewStep> preview(RunOptions options) {
        List<ResolvedDataMigration> dataPending = this.settings.dataEnabled()
                ? this.data.read(options.dataTarget(this.settings)).pending()
                : List.of();
        SchemaTrack.Snapshot schema = this.schema.read(options.schemaTarget(this.settings));
        RunPlan plan = RunPlan.of(this.settings.dataOrdering(), true, schema.versions(), dataPending);
        return Preview.steps(plan, schema.status().pending(), this.scanner, this.settings.schemaLocations());
    }

    /**
     * Return the data source this migrator migrates.
     *
     * @return the data source
     * @since 0.2.0
     */
    public DataSource dataSource() {
        return this.parts.dataSource();
    }

    /**
     * Return a migrator with the same settings and migrations for another database, for example an
     * empty scratch database on which to build every migration for the change analysis.
     *
     * @param dataSource the other database
     * @return the migrator
     * @since 0.2.0
     */
    public Migrator on(DataSource dataSource) {
        return on(dataSource, this.parts.settings());
    }

    /**
     * Return a migrator with the same settings and migrations on an empty database of your own, for building the
     * schema there (drift and generate do): the change analysis is off, since findings of migrations that ran long
     * ago are lint's business.
     *
     * @param scratch the empty database
     * @return a migrator on it
     * @since 0.4.0
     */
    public Migrator onScratch(DataSource scratch) {
        return on(scratch, this.parts.settings().withAnalysis(false));
    }

    private Migrator on(DataSource dataSource, MigratorSettings settings) {
        return new Migrator(new Parts(
                dataSource,
                this.parts.classLoader(),
                settings,
                this.parts.names(),
                this.parts.javaMigrations(),
                this.parts.schemaCustomizers(),
                this.parts.dataMigrations(),
                this.parts.checks()));
    }

    /**
     * Compare the database's catalog with the catalog its migrations build: read the versions both
     * tracks have recorded, migrate the given empty scratch database to exactly those versions (with
     * this migrator's settings and migrations, see {@link #on(DataSource)}), read both catalogs and
     * return the differences. Tables, columns, constraints, indexes, sequences (not their values),
     * views, functions, types, triggers, schemas and extensions are compared, in this migrator's schemas
     * (every user schema when it names none), without the history, progress and lock tables. Takes no
     * lock on the database and changes nothing in it; the scratch database is left migrated.
     *
     * <p>The scratch database should live on the same server as this one, so that both catalogs are
     * printed by the same server version.
     *
     * @param scratch an empty database to build the migrations in
     * @return the differences, with the versions they were found at
     * @throws MigratorException when a database cannot be read, the scratch database is not empty, the
     *     migrations cannot be built up to the recorded versions (for example a version applied to the
     *     database that the local migrations lack), or migrations ran on the database meanwhile
     * @since 0.4.0
     */
    public DriftReport drift(DataSource scratch) {
        Catalog.Scope scope = Catalog.Scope.of(this.settings);
        Instant checkedAt = Instant.now();
        Versions versions = recordedVersions();
        List<Catalog.Entry> found = catalog(this.connections, scope, "the database");
        Versions after = recordedVersions();
        if (!after.equals(versions)) {
            throw new MigratorException(
                    ErrorCode.MIGRATION,
                    "Migrations ran while drift read the database: it was at " + versions + ", then at " + after + ".",
                    "Check drift again once the run has finished.",
                    null);
        }
        // Findings of migrations that ran long ago are lint's business, not drift's.
        Migrator built = onScratch(scratch);
        if (!built.history().isEmpty()) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "The scratch database for drift is not empty: it has a migration history.",
                    "Give drift a new, empty database.",
                    null);
        }
        try {
            built.migrate(RunOptions.defaults()
                    .schemaTarget(versions.schema().orElse("current"))
                    .dataTarget(versions.data().orElse("current")));
        } catch (MigratorException ex) {
            throw new MigratorException(
                    ex.code(),
                    "Could not build the migrations up to " + versions + " in the scratch database for drift: "
                            + ex.description(),
                    ex.action(),
                    ex);
        }
        List<Catalog.Entry> expected = catalog(built.connections, scope, "the scratch database");
        DriftReport report =
                new DriftReport(versions.schema(), versions.data(), checkedAt, Catalog.differences(expected, found));
        logger.info(
                "Drift at {}: {} difference(s) from what the migrations build",
                versions,
                report.differences().size());
        return report;
    }

    /** The versions both tracks recorded; a track that is off counts as having none. */
    private record Versions(Optional<String> schema, Optional<String> data) {

        @Override
        public String toString() {
            return "schema '" + this.schema.orElse("none") + "' and data '" + this.data.orElse("none") + "'";
        }
    }

    private Versions recordedVersions() {
        MigrationStatus status =
                status(RunOptions.defaults().schemaTarget("current").dataTarget("current"));
        return new Versions(
                this.settings.schemaEnabled() ? status.schema().current() : Optional.empty(),
                this.settings.dataEnabled() ? status.data().current() : Optional.empty());
    }

    private static List<Catalog.Entry> catalog(Connections connections, Catalog.Scope scope, String which) {
        try (Connection connection = connections.open()) {
            return Catalog.read(connection, scope);
        } catch (SQLException ex) {
            throw new MigratorException(
                    ErrorCode.CONNECTION,
                    "Could not read the catalog of " + which + " for drift: '" + Connections.firstLine(ex) + "'.",
                    "Check that the database is reachable and the migration login may read pg_catalog.",
                    ex);
        }
    }

    /**
     * Rehearse the pending migrations up to the configured targets: see {@link #rehearse(RunOptions)}.
     *
     * @return what the rehearsal saw
     * @since 0.2.0
     */
    public Rehearsal rehearse() {
        return rehearse(RunOptions.defaults());
    }

    /**
     * Rehearse the pending migrations on the target database: under the cluster lock, every pending
     * migration that runs in a transaction, of both tracks and in the order {@link #migrate(RunOptions)}
     * would take, runs in one transaction with the change analysis observing it, and then the whole
     * transaction is rolled back. Migrations that run outside a transaction are listed, not run. The
     * rehearsal takes the locks the migrations take, under the migration lock timeouts.
     *
     * @param options the targets of the run to rehearse
     * @return what the rehearsal saw, per migration
     * @throws MigratorException when the lock cannot be taken or the database cannot be read
     * @since 0.2.0
     */
    public Rehearsal rehearse(RunOptions options) {
        return this.rehearser.rehearse(options);
    }

    /**
     * Validate the local migrations of both tracks against the history: changed, missing, duplicated
     * or misnamed migrations. Pending migrations are not problems. Takes no lock and changes nothing.
     *
     * @return every problem found, empty when valid
     */
    public ValidationResult validate() {
        List<String> problems = new ArrayList<>(this.schema.validate());
        if (this.settings.dataEnabled()) {
            problems.addAll(this.data.validate(this.settings.dataTarget()));
        }
        return new ValidationResult(problems);
    }

    /**
     * Run every check: the built-in ones ({@link dev.migrator.core.check.BuiltInCheck}), the SQL
     * checks in the checks locations and the Java checks. A check that throws is reported as failed
     * with its error.
     *
     * @return one result per check, built-in ones first
     */
    public List<CheckResult> check() {
        return this.checks.run(validate(), this::status);
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
        return migrate(RunOptions.defaults());
    }

    /**
     * Apply pending migrations like {@link #migrate()}, with the targets and lock wait of the given
     * options.
     *
     * @param options the options of this run
     * @return the report of the run
     * @throws MigrationFailedException when the run fails
     */
    public RunReport migrate(RunOptions options) {
        return this.runner.run(options, true, true);
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
        return this.runner.run(RunOptions.defaults(), true, false);
    }

    /**
     * Apply pending data migrations only, under the cluster lock, after the schema is migrated.
     *
     * @return the report of the run
     * @throws MigrationFailedException when the run fails
     */
    public RunReport migrateData() {
        return this.runner.run(RunOptions.defaults(), false, true);
    }

    /**
     * Return the path of an undo to the options' targets, checked whole, without running it: each
     * migration it would undo, in order, with its undo script or class and the script's SQL.
     *
     * @param options the version each track returns to ({@link RunOptions#schemaTarget(String)},
     *     {@link RunOptions#dataTarget(String)}; {@code 0} for none); a track whose target is
     *     {@code latest} or {@code current} is left as it is
     * @return the steps; empty when the tracks are at or below their targets
     * @throws MigratorException when neither target names a version, or the path cannot be undone (a
     *     migration on it without undo, irreversible, failed or applied out of order, or a target
     *     below the baseline), naming every reason
     * @since 0.3.0
     */
    public List<UndoStep> undoPlan(RunOptions options) {
        return this.undoer.plan(options);
    }

    /**
     * Undo applied migrations down to the options' targets, under the cluster lock: the whole path
     * is checked first ({@link #undoPlan(RunOptions)}), then each migration is undone in the reverse
     * order of application, in one transaction with the removal of its history row (an undo that
     * runs outside a transaction removes the row after it succeeds). The next {@link #migrate()}
     * applies the undone migrations again; repeatable migrations applied after the first undone one
     * run again after them.
     *
     * @param options the version each track returns to, and the lock wait
     * @return what was undone
     * @throws MigratorException when the path cannot be undone (nothing ran) or an undo failed (what
     *     was undone before it stays undone, and the message lists it)
     * @since 0.3.0
     */
    public UndoReport undo(RunOptions options) {
        return this.undoer.undo(options);
    }

    /**
     * Record the pending data migrations up to the data target of the options as applied, without
     * running them: for work done by hand (a fix applied in an incident, rows loaded by another
     * tool). Under the cluster lock; each is recorded with its checksum, no execution time and no
     * row count, with type {@code <type>_MARKED}, so that history shows it did not run.
     *
     * @param options the data target: the version to mark up to, included
     * @return the migrations marked, in order; empty when none was pending up to it
     * @throws MigratorException when the target is not a version or names no data migration
     * @since 0.3.0
     */
    public List<MigrationEntry> markApplied(RunOptions options) {
        try (dev.migrator.core.internal.lock.ClusterLock.Held held =
                this.lock.acquire(options.lockWaitTimeout(this.settings))) {
            return this.data.markApplied(held.fence(), options.dataTarget(this.settings)).stream()
                    .map(dev.migrator.core.internal.data.ResolvedDataMigration::entry)
                    .toList();
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
}
