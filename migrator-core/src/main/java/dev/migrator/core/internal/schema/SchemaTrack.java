package dev.migrator.core.internal.schema;

import dev.migrator.core.AppliedMigration;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.HistoryEntry;
import dev.migrator.core.MigrationEntry;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Setting;
import dev.migrator.core.SettingNames;
import dev.migrator.core.Track;
import dev.migrator.core.TrackStatus;
import dev.migrator.core.internal.VersionSyntax;
import dev.migrator.core.internal.lock.Fence;
import dev.migrator.core.internal.timeout.SessionTimeouts;
import dev.migrator.core.lock.LockLostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.output.MigrateErrorResult;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;
import org.flywaydb.core.api.pattern.ValidatePattern;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.exception.FlywayMigrateException;
import org.flywaydb.core.internal.scanner.Scanner;
import org.flywaydb.core.internal.util.ValidatePatternUtils;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema track: Flyway with unchanged semantics, its failures translated into migrator's
 * messages. Every operation takes the target of its run; the configured one keeps the configured
 * Flyway instance. A disabled track reads as empty and applies nothing.
 */
public final class SchemaTrack {

    private static final Logger logger = LoggerFactory.getLogger(SchemaTrack.class);

    private final Flyway flyway;

    private final SchemaFlyway parts;

    private final String target;

    private final List<String> locations;

    private final SettingNames names;

    private final SchemaFailures failures;

    private final boolean enabled;

    private final SessionTimeouts timeouts;

    private volatile @Nullable Flyway reader;

    private volatile @Nullable String historyTable;

    public SchemaTrack(
            SchemaFlyway parts, boolean enabled, String target, SettingNames names, SessionTimeouts timeouts) {
        this.parts = parts;
        this.timeouts = timeouts;
        Flyway flyway = parts.flyway();
        this.flyway = flyway;
        this.enabled = enabled;
        this.target = target;
        this.locations = Arrays.stream(flyway.getConfiguration().getLocations())
                .map(Object::toString)
                .toList();
        this.names = names;
        this.failures = new SchemaFailures(names, flyway.getConfiguration().getTable());
    }

    public Flyway flyway() {
        return this.flyway;
    }

    /**
     * Read the status and the versions the data track plans against from one {@code info()}: each
     * call resolves every migration and reads the history table.
     */
    public Snapshot read(String target) {
        if (!this.enabled) {
            return new Snapshot(
                    new TrackStatus(Optional.empty(), target, List.of(), List.of()),
                    new Versions(Optional.empty(), List.of()));
        }
        MigrationInfoService info = info(target);
        Optional<MigrationVersion> current = Optional.ofNullable(info.current()).map(MigrationInfo::getVersion);
        List<MigrationEntry> failed = Arrays.stream(info.all())
                .filter(m -> m.getState().isFailed())
                .map(SchemaTrack::entry)
                .toList();
        TrackStatus status = new TrackStatus(
                current.map(MigrationVersion::getVersion),
                target,
                Arrays.stream(info.pending()).map(SchemaTrack::entry).toList(),
                failed);
        List<MigrationVersion> reachable = Arrays.stream(info.all())
                .filter(m -> m.getVersion() != null)
                .filter(m -> m.getState() != MigrationState.ABOVE_TARGET)
                .map(MigrationInfo::getVersion)
                .distinct()
                .sorted()
                .toList();
        return new Snapshot(status, new Versions(current, reachable));
    }

    /**
     * The schema track as one {@code info()} saw it.
     *
     * @param status the status
     * @param versions the versions a run can reach
     */
    public record Snapshot(TrackStatus status, Versions versions) {}

    /** Return the applied (and failed) schema migrations in the order they ran. */
    public List<HistoryEntry> history() {
        if (!this.enabled) {
            return List.of();
        }
        return Arrays.stream(info(this.target).applied())
                .map(m -> new HistoryEntry(
                        Track.SCHEMA,
                        m.getInstalledRank(),
                        entry(m),
                        Objects.requireNonNullElse(m.getInstalledBy(), ""),
                        m.getInstalledOn().toInstant(),
                        Duration.ofMillis(Objects.requireNonNullElse(m.getExecutionTime(), 0)),
                        Optional.empty(),
                        !m.getState().isFailed()))
                .toList();
    }

    /**
     * Validate the applied migrations against the local ones, pending ones not counting as problems.
     * Returns one message per problem.
     */
    public List<String> validate() {
        if (!this.enabled) {
            return List.of();
        }
        // Flyway's validation fails on pending migrations unless told otherwise; keep the user's patterns.
        ValidatePattern[] ignore = Stream.concat(
                        Arrays.stream(this.flyway.getConfiguration().getIgnoreMigrationPatterns()),
                        Stream.of(ValidatePattern.fromPattern("*:pending")))
                .toArray(ValidatePattern[]::new);
        try {
            ValidateResult result = Flyway.configure(
                            this.flyway.getConfiguration().getClassLoader())
                    .configuration(this.flyway.getConfiguration())
                    .ignoreMigrationPatterns(ignore)
                    .load()
                    .validateWithResult();
            if (result.validationSuccessful) {
                return List.of();
            }
            return result.invalidMigrations.stream()
                    .map(m -> "Schema migration '" + fileName(m.filepath, m.description) + "': "
                            + m.errorDetails
                                    .errorMessage
                                    .lines()
                                    .findFirst()
                                    .orElse("")
                                    .strip()
                            + ". "
                            + (FAILED.contains(m.errorDetails.errorCode)
                                    ? this.failures.failedRowAction()
                                    : "Restore it as it was applied and put the change in a new migration."))
                    .toList();
        } catch (FlywayException ex) {
            return List.of(failure(ex, this.target).getMessage());
        }
    }

    /**
     * Return whether migrating up to a target would change nothing, read without the lock: Flyway's
     * own validation, on the reader (its scan kept, no SQL callbacks), finds every local migration up
     * to the target applied as it is, none pending, none failed, nothing out of place. A run only adds
     * to the history, so a track with nothing pending stays so; a run in progress elsewhere shows its
     * migrations as pending here until it commits them, and this run then waits for the lock as
     * before. Anything that makes Flyway's migrate do more than validate says no: a callback of the
     * user's, SQL or Java (Flyway runs {@code afterMigrate} and the like at every migrate), callback
     * locations, patterns that let pending migrations pass validation, another target than the
     * configured one, an empty history (Flyway creates or baselines it), and any failure of the read;
     * the locked run then decides and reports as it always has.
     *
     * @param target the target of the run
     * @return whether the run can skip the lock and Flyway's migrate
     */
    public boolean nothingToApply(String target) {
        if (!this.enabled) {
            return true;
        }
        Configuration configuration = this.flyway.getConfiguration();
        if (!this.target.equals(target)
                || configuration.getCallbackLocations().length > 0
                || ValidatePatternUtils.isPendingIgnored(configuration.getIgnoreMigrationPatterns())
                || Arrays.stream(configuration.getCallbacks()).anyMatch(callback -> !ours(callback))) {
            return false;
        }
        try {
            Flyway reader = reader();
            if (sqlCallbacks(reader.getConfiguration())) {
                return false;
            }
            ValidateResult result = reader.validateWithResult();
            return result.validationSuccessful && result.validateCount > 0;
        } catch (FlywayException ex) {
            logger.debug("Could not read the schema track without the lock; the run takes it", ex);
            return false;
        }
    }

    /** Return whether a callback is one of migrator's, which act only inside its runs. */
    private static boolean ours(Callback callback) {
        return callback instanceof RunCallback<?> || RunScopedPostgres.isDispatches(callback);
    }

    /** Return whether the locations hold a SQL callback: a script named after a Flyway event. */
    private static boolean sqlCallbacks(Configuration configuration) {
        String separator = configuration.getSqlMigrationSeparator();
        for (LoadableResource resource :
                configuration.getResourceProvider().getResources("", configuration.getSqlMigrationSuffixes())) {
            String name = resource.getFilename();
            int dot = name.lastIndexOf('.');
            String base = (dot < 0) ? name : name.substring(0, dot);
            int described = base.indexOf(separator);
            if (Event.fromId(described < 0 ? base : base.substring(0, described)) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * The schema versions a run can reach.
     *
     * @param current the version applied last
     * @param reachable every version up to the target, in order
     */
    public record Versions(Optional<MigrationVersion> current, List<MigrationVersion> reachable) {

        /** Return the version the schema is at once migrated to its target. */
        public Optional<MigrationVersion> atTarget() {
            return this.reachable.isEmpty() ? this.current : Optional.of(this.reachable.get(this.reachable.size() - 1));
        }
    }

    /**
     * Apply pending migrations up to a target ({@code latest}, {@code current} or a version), each one
     * checking the fence first; on failure, throw with the migrations applied before the failing one
     * passed to {@code appliedBeforeFailure}. A migration that hit its lock timeout in a transaction
     * was rolled back, and is tried again with a higher timeout after a pause, within the retries.
     */
    public List<AppliedMigration> migrate(
            String target, Fence fence, Consumer<List<AppliedMigration>> appliedBeforeFailure) {
        return migrateTo(target, fence, appliedBeforeFailure).applied();
    }

    /**
     * What a migration of the schema track did: the migrations it applied, and the version the
     * schema is at afterwards, as Flyway's own migration read it (so that a run planning the data
     * track after the schema need not read the schema track again).
     *
     * @param applied the migrations applied, in order
     * @param version the version applied last, empty when none is
     */
    public record Migrated(List<AppliedMigration> applied, Optional<MigrationVersion> version) {}

    /** Like {@link #migrate}, also telling the version the schema is at afterwards. */
    public Migrated migrateTo(String target, Fence fence, Consumer<List<AppliedMigration>> appliedBeforeFailure) {
        if (!this.enabled) {
            return new Migrated(List.of(), Optional.empty());
        }
        Flyway flyway = this.target.equals(target) ? this.flyway : withTarget(this.flyway, target);
        List<AppliedMigration> applied = new ArrayList<>();
        ScriptTexts scripts = this.parts.scriptTexts();
        TimeoutCallback.Tries tries = new TimeoutCallback.Tries(scripts);
        AnalysisCallback.Run analysis = new AnalysisCallback.Run(scripts);
        AtomicReference<Optional<MigrationVersion>> version = new AtomicReference<>(Optional.empty());
        while (true) {
            try {
                applied.addAll(observed(
                        analysis,
                        () -> this.parts
                                .timeouts()
                                .during(
                                        tries,
                                        () -> this.parts
                                                .fence()
                                                .during(
                                                        fence,
                                                        () -> migrateOnce(
                                                                flyway,
                                                                applied,
                                                                analysis,
                                                                appliedBeforeFailure,
                                                                version)))));
                return new Migrated(withFindings(applied, analysis), version.get());
            } catch (FlywayException ex) {
                Optional<MigrateErrorResult> failed = SchemaFailures.failedMigration(ex);
                if (failed.isEmpty()) {
                    MigratorException analysisFailure = analysisFailure(ex);
                    throw (analysisFailure != null) ? analysisFailure : failure(ex, target);
                }
                applied.addAll(applied(failed.get()));
                MigratorException analysisFailure = analysisFailure(ex);
                if (analysisFailure != null) {
                    appliedBeforeFailure.accept(withFindings(applied, analysis));
                    throw analysisFailure;
                }
                FlywayMigrateException migrate = migrateException(ex);
                if (migrate == null || !SessionTimeouts.isLockTimeout(ex)) {
                    appliedBeforeFailure.accept(withFindings(applied, analysis));
                    throw this.failures.migrationFailed(ex, failed.get(), recordedAsFailed(failed.get()));
                }
                String script = SchemaFailures.script(failed.get());
                if (!migrate.isExecutableInTransaction()) {
                    // Flyway recorded it as failed: what ran of it stays, and a retry would not be the same work.
                    appliedBeforeFailure.accept(withFindings(applied, analysis));
                    MigratorException failure =
                            this.failures.migrationFailed(ex, failed.get(), recordedAsFailed(failed.get()));
                    throw new MigratorException(
                            failure.code(),
                            failure.description() + " " + SessionTimeouts.blocking(tries.blockers()),
                            failure.action(),
                            ex);
                }
                int attempt = tries.failed(migrate.getMigration());
                if (!this.timeouts.retries(ex, attempt - 1)) {
                    appliedBeforeFailure.accept(withFindings(applied, analysis));
                    List<String> text =
                            this.timeouts.gaveUp("Schema migration '" + script + "'", attempt, tries.blockers());
                    throw new MigratorException(ErrorCode.BLOCKED, text.get(0), text.get(1), ex);
                }
                fence.ensureHeld();
                Duration pause = this.timeouts.pause(attempt);
                logger.warn(
                        "Schema migration {} waited longer than its lock timeout of {} and was rolled back;"
                                + " trying again (try {} of {}) after {} ms with a lock timeout of {}. {}",
                        script,
                        this.timeouts.transactional(attempt - 1).lockTimeoutText(),
                        attempt + 1,
                        this.timeouts.tries(),
                        pause.toMillis(),
                        this.timeouts.transactional(attempt).lockTimeoutText(),
                        SessionTimeouts.blocking(tries.blockers()));
            }
        }
    }

    /** One call of Flyway's migrate; a run that lost the lock reports what it completed before. */
    private List<AppliedMigration> migrateOnce(
            Flyway flyway,
            List<AppliedMigration> applied,
            AnalysisCallback.Run analysis,
            Consumer<List<AppliedMigration>> appliedBeforeFailure,
            AtomicReference<Optional<MigrationVersion>> version) {
        try {
            MigrateResult result =
                    this.parts.runScoped() ? RunScopedPostgres.during(flyway::migrate) : flyway.migrate();
            // Applied out of order, the last migration may be older than the one applied before the run.
            version.set(Stream.of(result.initialSchemaVersion, result.targetSchemaVersion)
                    .filter(v -> v != null && !v.isEmpty())
                    .map(MigrationVersion::fromVersion)
                    .max(Comparator.naturalOrder()));
            return applied(result);
        } catch (FlywayException ex) {
            LockLostException lost = lockLost(ex);
            if (lost != null) {
                applied.addAll(this.parts.fence().completed().stream()
                        .map(m -> new AppliedMigration(entry(m), Duration.ZERO))
                        .toList());
                appliedBeforeFailure.accept(withFindings(applied, analysis));
                throw lost;
            }
            throw ex;
        }
    }

    private <T> T observed(AnalysisCallback.Run run, Supplier<T> work) {
        AnalysisCallback analysis = this.parts.analysis();
        return (analysis == null) ? work.get() : analysis.during(run, work);
    }

    private static List<AppliedMigration> withFindings(List<AppliedMigration> applied, AnalysisCallback.Run run) {
        return applied.stream()
                .map(a -> new AppliedMigration(
                        a.migration(), a.executionTime(), run.of(a.migration().script())))
                .toList();
    }

    /**
     * A migrator failure inside Flyway's: a directive the analysis refused (an unknown rule), which
     * stopped the migration before it ran.
     */
    private static @Nullable MigratorException analysisFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MigratorException migrator && !(migrator instanceof LockLostException)) {
                return migrator;
            }
        }
        return null;
    }

    private static @Nullable FlywayMigrateException migrateException(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FlywayMigrateException migrate) {
                return migrate;
            }
        }
        return null;
    }

    private static @Nullable LockLostException lockLost(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof LockLostException lost) {
                return lost;
            }
        }
        return null;
    }

    private boolean recordedAsFailed(MigrateErrorResult result) {
        String script = SchemaFailures.script(result);
        try {
            return Arrays.stream(this.flyway.info().applied())
                    .anyMatch(m -> m.getState().isFailed()
                            && fileName(m.getScript(), "").equals(script));
        } catch (FlywayException ex) {
            return false;
        }
    }

    private static Flyway withTarget(Flyway flyway, String target) {
        return Flyway.configure(flyway.getConfiguration().getClassLoader())
                .configuration(flyway.getConfiguration())
                .target(target)
                .load();
    }

    /**
     * The Flyway instance for status reads, made on first use. It scans the locations once (the files
     * of a running application do not change) and runs no SQL callbacks: rescanning for scripts and
     * callbacks on every health check or endpoint request would cost more than the read itself.
     * Flyway offers no public way to keep its scan, so this is the one place that uses its scanner.
     */
    private Flyway reader() {
        Flyway reader = this.reader;
        if (reader == null) {
            Configuration configuration = this.flyway.getConfiguration();
            Scanner<JavaMigration> scanner =
                    new Scanner<>(JavaMigration.class, configuration, configuration.getLocations());
            reader = Flyway.configure(configuration.getClassLoader())
                    .configuration(configuration)
                    .skipDefaultCallbacks(true)
                    .resourceProvider(scanner)
                    .javaMigrationClassProvider(scanner)
                    .load();
            this.reader = reader;
        }
        return reader;
    }

    /**
     * Return the pending schema migrations up to a target, in order, with their executors, for a
     * rehearsal that runs them itself.
     */
    public List<MigrationInfo> pendingMigrations(String target) {
        if (!this.enabled) {
            return List.of();
        }
        try {
            Flyway flyway = this.target.equals(target) ? this.flyway : withTarget(this.flyway, target);
            return List.of(flyway.info().pending());
        } catch (FlywayException ex) {
            throw failure(ex, target);
        }
    }

    /** Return whether the schema track is on. */
    public boolean enabled() {
        return this.enabled;
    }

    /**
     * Return the applied (and failed) schema migrations as Flyway reads its history, in the order
     * they ran, with their states ({@code OUT_OF_ORDER}, {@code BASELINE}, failed).
     */
    public List<MigrationInfo> appliedMigrations() {
        if (!this.enabled) {
            return List.of();
        }
        try {
            return List.of(withTarget(reader(), "latest").info().applied());
        } catch (FlywayException ex) {
            throw this.failures.translate(ex);
        }
    }

    /**
     * Return the undo scripts of the schema locations ({@code U<version>__<description>.sql}, or the
     * configured suffixes), by version. Flyway resolves them as it resolves the migrations, with the
     * same separator, placeholders and per-script {@code .sql.conf}, so that an undo script runs
     * exactly as a migration of the same text would; Flyway itself skips them when it migrates.
     */
    public Map<MigrationVersion, MigrationInfo> undoScripts() {
        if (!this.enabled) {
            return Map.of();
        }
        Flyway undo = Flyway.configure(this.flyway.getConfiguration().getClassLoader())
                .configuration(this.flyway.getConfiguration())
                .sqlMigrationPrefix("U")
                // Nothing else resolves: no repeatables, no Java migrations, no callbacks.
                .repeatableSqlMigrationPrefix("migrator-no-repeatable-undo-")
                .javaMigrations()
                .javaMigrationClassProvider(java.util.Collections::emptyList)
                .skipDefaultCallbacks(true)
                .validateMigrationNaming(false)
                .target(MigrationVersion.LATEST)
                .load();
        Map<MigrationVersion, MigrationInfo> scripts = new java.util.LinkedHashMap<>();
        try {
            for (MigrationInfo info : undo.info().all()) {
                if (info.getVersion() != null
                        && info instanceof org.flywaydb.core.internal.info.MigrationInfoImpl impl
                        && impl.getResolvedMigration() != null) {
                    scripts.put(info.getVersion(), info);
                }
            }
        } catch (FlywayException ex) {
            throw this.failures.translate(ex);
        }
        return scripts;
    }

    /** Return the script of a resolved migration (an undo script), not that of the history row of its version. */
    public static String resolvedScript(MigrationInfo info) {
        if (info instanceof org.flywaydb.core.internal.info.MigrationInfoImpl impl
                && impl.getResolvedMigration() != null) {
            return impl.getResolvedMigration().getScript();
        }
        return info.getScript();
    }

    /**
     * Return the schema history table, quoted and qualified: Flyway's table in its default schema
     * (or the first of its schemas, or the connection's current schema). Found once: every status
     * read names it, and the current schema would cost a query each time.
     */
    public String historyTable(java.sql.Connection connection) throws java.sql.SQLException {
        String known = this.historyTable;
        if (known != null) {
            return known;
        }
        Configuration configuration = this.flyway.getConfiguration();
        String schema = configuration.getDefaultSchema();
        if (schema == null && configuration.getSchemas().length > 0) {
            schema = configuration.getSchemas()[0];
        }
        if (schema == null) {
            schema = dev.migrator.core.internal.jdbc.Connections.currentSchema(connection);
        }
        known = dev.migrator.core.internal.jdbc.Connections.quoteIdentifier(schema) + "."
                + dev.migrator.core.internal.jdbc.Connections.quoteIdentifier(configuration.getTable());
        this.historyTable = known;
        return known;
    }

    /** Return whether a pending migration runs in a transaction. */
    public static boolean transactional(MigrationInfo migration) {
        return !(migration instanceof org.flywaydb.core.internal.info.MigrationInfoImpl impl)
                || impl.canExecuteInTransaction();
    }

    /** Run a pending migration's executor on a connection, in the connection's transaction. */
    public void execute(MigrationInfo migration, java.sql.Connection connection) throws java.sql.SQLException {
        Configuration configuration = this.flyway.getConfiguration();
        ((org.flywaydb.core.internal.info.MigrationInfoImpl) migration)
                .getResolvedMigration()
                .getExecutor()
                .execute(new org.flywaydb.core.api.executor.Context() {

                    @Override
                    public Configuration getConfiguration() {
                        return configuration;
                    }

                    @Override
                    public java.sql.Connection getConnection() {
                        return connection;
                    }
                });
    }

    private MigrationInfoService info(String target) {
        try {
            Flyway reader = reader();
            return (this.target.equals(target) ? reader : withTarget(reader, target)).info();
        } catch (FlywayException ex) {
            throw failure(ex, target);
        }
    }

    private static final Set<org.flywaydb.core.api.ErrorCode> FAILED =
            Set.of(CoreErrorCode.FAILED_VERSIONED_MIGRATION, CoreErrorCode.FAILED_REPEATABLE_MIGRATION);

    /** Return the migrations the schema history records as failed, read by state, not from a message. */
    private List<String> recordedFailures() {
        try {
            return Arrays.stream(reader().info().applied())
                    .filter(m -> m.getState().isFailed())
                    .map(m -> fileName(m.getScript(), m.getDescription()))
                    .toList();
        } catch (FlywayException ex) {
            return List.of();
        }
    }

    private MigratorException failure(FlywayException ex, String target) {
        if (ex instanceof FlywayValidateException) {
            List<String> failed = recordedFailures();
            if (!failed.isEmpty()) {
                return this.failures.failedMigrationsRecorded(ex, failed);
            }
        }
        if (VersionSyntax.isVersion(target)) {
            Set<MigrationVersion> known = knownVersions();
            if (!known.contains(MigrationVersion.fromVersion(target))) {
                return unknownTarget(target, known, ex);
            }
        }
        return this.failures.translate(ex);
    }

    /** Every version resolved locally or applied; read only on a failure with a numeric target. */
    private Set<MigrationVersion> knownVersions() {
        try {
            return Arrays.stream(withTarget(reader(), "latest").info().all())
                    .map(MigrationInfo::getVersion)
                    .filter(Objects::nonNull)
                    .collect(Collectors.toSet());
        } catch (FlywayException ex) {
            return Set.of();
        }
    }

    /** Explain a target that names no migration; Flyway's own message does not say which versions exist. */
    private MigratorException unknownTarget(String target, Set<MigrationVersion> known, FlywayException ex) {
        String latest = known.stream()
                .max(MigrationVersion::compareTo)
                .map(MigrationVersion::getVersion)
                .orElse("none");
        return new MigratorException(
                ErrorCode.CONFIGURATION,
                "Schema target '" + target + "' matches no migration in " + this.locations + " (latest is '" + latest
                        + "').",
                "Set " + this.names.quoted(Setting.SCHEMA_TARGET) + " to an existing version, 'latest' or 'current'.",
                ex);
    }

    private static List<AppliedMigration> applied(@Nullable MigrateResult result) {
        if (result == null || result.migrations == null) {
            return List.of();
        }
        // Flyway marks rolled-back migrations (group mode) only in its unordered map, not in the ordered list.
        Set<String> rolledBack = result.getSuccessfulMigrations().stream()
                .filter(output -> Boolean.TRUE.equals(output.rolledBack))
                .map(output -> output.version + "|" + output.description)
                .collect(Collectors.toSet());
        return result.migrations.stream()
                .filter(output -> !rolledBack.contains(output.version + "|" + output.description))
                .map(output -> new AppliedMigration(
                        new MigrationEntry(
                                Optional.ofNullable(output.version).filter(v -> !v.isEmpty()),
                                output.description,
                                fileName(output.filepath, output.description),
                                output.type),
                        Duration.ofMillis(output.executionTime)))
                .toList();
    }

    /** Flyway reports the absolute path of a script; users know it by its file name. */
    public static String fileName(@Nullable String path, String fallback) {
        if (path == null || path.isEmpty()) {
            return fallback;
        }
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(slash + 1);
    }

    public static MigrationEntry entry(MigrationInfo info) {
        return new MigrationEntry(
                Optional.ofNullable(info.getVersion()).map(MigrationVersion::getVersion),
                info.getDescription(),
                info.getScript(),
                info.getType().name());
    }
}
