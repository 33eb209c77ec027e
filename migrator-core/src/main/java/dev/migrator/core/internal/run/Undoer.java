package dev.migrator.core.internal.run;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigrationEntry;
import dev.migrator.core.MigratorException;
import dev.migrator.core.MigratorSettings;
import dev.migrator.core.Redactor;
import dev.migrator.core.RunOptions;
import dev.migrator.core.Setting;
import dev.migrator.core.SettingNames;
import dev.migrator.core.Track;
import dev.migrator.core.UndoReport;
import dev.migrator.core.UndoStep;
import dev.migrator.core.internal.Problem;
import dev.migrator.core.internal.VersionSyntax;
import dev.migrator.core.internal.data.DataHistoryRow;
import dev.migrator.core.internal.data.DataTrack;
import dev.migrator.core.internal.data.DataTrackState;
import dev.migrator.core.internal.data.ResolvedDataMigration;
import dev.migrator.core.internal.jdbc.Connections;
import dev.migrator.core.internal.lock.ClusterLock;
import dev.migrator.core.internal.lock.Fence;
import dev.migrator.core.internal.resource.ResourceScanner;
import dev.migrator.core.internal.schema.SchemaTrack;
import dev.migrator.core.internal.timeout.SessionTimeouts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoes applied migrations down to a target per track: the path is planned and checked whole
 * before anything runs (every migration on it has an undo, none failed, none was applied out of
 * order, the target is not below a baseline); then, under the cluster lock, each migration is
 * undone in the reverse order of application, in one transaction with the removal of its history
 * row, so that the next migrate applies it again as a pending migration.
 */
public final class Undoer {

    private static final Logger logger = LoggerFactory.getLogger(Undoer.class);

    private final MigratorSettings settings;

    private final SettingNames names;

    private final SchemaTrack schema;

    private final DataTrack data;

    private final ClusterLock lock;

    private final Connections connections;

    private final SessionTimeouts timeouts;

    private final ResourceScanner scanner;

    public Undoer(
            MigratorSettings settings,
            SettingNames names,
            SchemaTrack schema,
            DataTrack data,
            ClusterLock lock,
            Connections connections,
            SessionTimeouts timeouts,
            ResourceScanner scanner) {
        this.settings = settings;
        this.names = names;
        this.schema = schema;
        this.data = data;
        this.lock = lock;
        this.connections = connections;
        this.timeouts = timeouts;
        this.scanner = scanner;
    }

    /** One step of a planned undo, with what runs it. */
    private record Planned(
            UndoStep step,
            Instant appliedOn,
            int rank,
            @Nullable MigrationInfo schemaUndo,
            @Nullable DataHistoryRow dataRow,
            @Nullable ResolvedDataMigration dataUndo) {}

    /** A planned undo: its steps in order, and the history rows of repeatables to run again. */
    private record Plan(List<Planned> steps, List<MigrationInfo> schemaRerun, List<DataHistoryRow> dataRerun) {

        List<MigrationEntry> rerun() {
            List<MigrationEntry> rerun = new ArrayList<>();
            this.schemaRerun.forEach(m -> rerun.add(SchemaTrack.entry(m)));
            this.dataRerun.forEach(row -> rerun.add(entry(row)));
            return rerun;
        }
    }

    /**
     * Return the path of an undo to the options' targets, checked whole.
     *
     * @throws MigratorException when no track has a version as its target, or when the path cannot be
     *     undone, naming every reason
     */
    public List<UndoStep> plan(RunOptions options) {
        return plan(options, true).steps().stream().map(Planned::step).toList();
    }

    private Plan plan(RunOptions options, boolean requireTarget) {
        Optional<MigrationVersion> schemaTarget = target(options.schemaTarget(this.settings));
        Optional<MigrationVersion> dataTarget =
                this.settings.dataEnabled() ? target(options.dataTarget(this.settings)) : Optional.empty();
        if (requireTarget && schemaTarget.isEmpty() && dataTarget.isEmpty()) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "Undo needs the version each track returns to, and neither "
                            + this.names.quoted(Setting.SCHEMA_TARGET) + " ('" + options.schemaTarget(this.settings)
                            + "') nor " + this.names.quoted(Setting.DATA_TARGET) + " ('"
                            + options.dataTarget(this.settings) + "') names one.",
                    "Set " + this.names.quoted(Setting.SCHEMA_TARGET) + " and/or "
                            + this.names.quoted(Setting.DATA_TARGET)
                            + " to the version to return to ('0' for none); undo never undoes everything by default.",
                    null);
        }
        List<Problem> problems = new ArrayList<>();
        List<Planned> steps = new ArrayList<>();
        List<MigrationInfo> schemaRerun = new ArrayList<>();
        List<DataHistoryRow> dataRerun = new ArrayList<>();
        if (schemaTarget.isPresent() && this.schema.enabled()) {
            planSchema(schemaTarget.get(), steps, schemaRerun, problems);
        }
        if (dataTarget.isPresent()) {
            planData(dataTarget.get(), steps, dataRerun, problems);
        }
        Problem.throwIfAny(problems);
        // The reverse of the order of application; within a track by rank, and data first on a tie
        // (a data migration runs after the schema it needs).
        steps.sort(Comparator.comparing(Planned::appliedOn)
                .thenComparing(p -> p.step().track() == Track.DATA ? 1 : 0)
                .thenComparing(Planned::rank)
                .reversed());
        return new Plan(List.copyOf(steps), schemaRerun, dataRerun);
    }

    /**
     * Say which data migrations stay applied although they ran after a schema migration this undo
     * undoes: the data track was not given a target that reaches them. They may depend on it (a
     * backfill of a column the undo drops); the undo does not guess, it says so.
     */
    private void warnOfDataLeftApplied(List<Planned> steps) {
        Optional<Planned> firstSchema = steps.stream()
                .filter(p -> p.step().track() == Track.SCHEMA)
                .min(Comparator.comparing(Planned::appliedOn));
        if (firstSchema.isEmpty() || !this.settings.dataEnabled()) {
            return;
        }
        Instant since = firstSchema.get().appliedOn();
        List<String> undoneData = steps.stream()
                .filter(p -> p.step().track() == Track.DATA)
                .map(p -> p.step().migration().script())
                .toList();
        List<String> leftApplied = this.data.rows().stream()
                .filter(row -> row.success() && row.version().isPresent())
                .filter(row -> !DataTrackState.BASELINE.equals(row.type()))
                .filter(row -> row.installedOn().isAfter(since))
                .map(DataHistoryRow::script)
                .filter(script -> !undoneData.contains(script))
                .toList();
        if (!leftApplied.isEmpty()) {
            logger.warn(
                    "Data migration(s) {} ran after schema migration {}, which this undo undoes, and stay applied: if"
                            + " they depend on it, undo the data track too ({}).",
                    leftApplied,
                    firstSchema.get().step().migration().script(),
                    this.names.quoted(Setting.DATA_TARGET));
        }
    }

    /** A target that names a version; {@code latest} and {@code current} leave the track as it is. */
    private static Optional<MigrationVersion> target(String target) {
        return VersionSyntax.isVersion(target) ? Optional.of(MigrationVersion.fromVersion(target)) : Optional.empty();
    }

    private void planSchema(
            MigrationVersion target, List<Planned> steps, List<MigrationInfo> rerun, List<Problem> problems) {
        List<MigrationInfo> applied = this.schema.appliedMigrations();
        String setting = this.names.quoted(Setting.SCHEMA_TARGET);
        for (MigrationInfo m : applied) {
            if (m.getState() == MigrationState.BASELINE
                    && m.getVersion() != null
                    && m.getVersion().compareTo(target) > 0) {
                problems.add(new Problem(
                        ErrorCode.CONFIGURATION,
                        "Schema target '" + target.getVersion() + "' is below the baseline at version '"
                                + m.getVersion().getVersion() + "': what the baseline stands for was never applied"
                                + " by a migration, so it cannot be undone.",
                        "Set " + setting + " to '" + m.getVersion().getVersion() + "' or above."));
                return;
            }
        }
        List<MigrationInfo> path = applied.stream()
                .filter(m -> m.getVersion() != null && m.getVersion().compareTo(target) > 0)
                .toList();
        if (path.isEmpty()) {
            return;
        }
        int firstRank =
                path.stream().mapToInt(MigrationInfo::getInstalledRank).min().orElseThrow();
        MigrationVersion highest = null;
        for (MigrationInfo m : applied) {
            if (m.getVersion() == null || m.getInstalledRank() < firstRank) {
                continue;
            }
            boolean onPath = m.getVersion().compareTo(target) > 0;
            if (!onPath
                    || m.getState() == MigrationState.OUT_OF_ORDER
                    || (highest != null && m.getVersion().compareTo(highest) < 0)) {
                problems.add(new Problem(
                        ErrorCode.VALIDATION,
                        "Schema migration '" + file(m) + "' (version "
                                + m.getVersion().getVersion()
                                + ") was applied out of order, after a migration above the target '"
                                + target.getVersion() + "': undoing in the reverse order of application would not"
                                + " return the schema to version " + target.getVersion() + ".",
                        "Choose a target above the versions applied out of order, or undo them by hand."));
            }
            if (highest == null || m.getVersion().compareTo(highest) > 0) {
                highest = m.getVersion();
            }
        }
        Map<MigrationVersion, MigrationInfo> undos = this.schema.undoScripts();
        Map<String, String> texts = this.scanner.readAll(this.settings.schemaLocations(), ".sql");
        for (String script : texts.keySet()) {
            if (SchemaTrack.fileName(script, "").startsWith("U__")) {
                problems.add(new Problem(
                        ErrorCode.CONFIGURATION,
                        "Undo script '" + script + "' in " + this.settings.schemaLocations()
                                + " has no version: a repeatable schema migration has no undo.",
                        "Name it 'U<version>__<description>.sql' after the version it undoes, or delete it; a"
                                + " repeatable migration runs again after an undo."));
            }
        }
        for (MigrationInfo m : path) {
            if (m.getState().isFailed()) {
                problems.add(new Problem(
                        ErrorCode.VALIDATION,
                        "Schema migration '" + file(m) + "' is recorded as failed: what ran of it is not known,"
                                + " so its undo cannot be trusted to run.",
                        "Repair it first: finish or revert what it did by hand, then remove its failed history row."));
                continue;
            }
            MigrationInfo undo = undos.get(m.getVersion());
            if (undo == null) {
                problems.add(new Problem(
                        ErrorCode.VALIDATION,
                        "Schema migration '" + file(m) + "' has no undo script 'U"
                                + m.getVersion().getVersion()
                                + "__" + m.getDescription().replace(' ', '_') + ".sql' in "
                                + this.settings.schemaLocations() + ".",
                        "Write the undo script beside the migration, or choose a target above version "
                                + m.getVersion().getVersion() + "."));
                continue;
            }
            // The undo script's own name: where the history has a row of that version, the info's script is the row's.
            String undoPath = SchemaTrack.resolvedScript(undo);
            String script = SchemaTrack.fileName(undoPath, undo.getDescription());
            steps.add(new Planned(
                    new UndoStep(
                            Track.SCHEMA,
                            SchemaTrack.entry(m),
                            script,
                            SchemaTrack.transactional(undo),
                            Optional.ofNullable(texts.get(undoPath))),
                    m.getInstalledOn().toInstant(),
                    m.getInstalledRank(),
                    undo,
                    null,
                    null));
        }
        for (MigrationInfo m : applied) {
            if (m.getVersion() == null && m.getInstalledRank() > firstRank) {
                rerun.add(m);
            }
        }
    }

    private void planData(
            MigrationVersion target, List<Planned> steps, List<DataHistoryRow> rerun, List<Problem> problems) {
        List<DataHistoryRow> rows = this.data.rows();
        for (DataHistoryRow row : rows) {
            if (DataTrackState.BASELINE.equals(row.type())
                    && row.version().isPresent()
                    && MigrationVersion.fromVersion(row.version().get()).compareTo(target) > 0) {
                problems.add(new Problem(
                        ErrorCode.CONFIGURATION,
                        "Data target '" + target.getVersion() + "' is below the data baseline at version '"
                                + row.version().get() + "': what the baseline stands for was never applied by a"
                                + " migration, so it cannot be undone.",
                        "Set " + this.names.quoted(Setting.DATA_TARGET) + " to '"
                                + row.version().get() + "' or above."));
                return;
            }
        }
        List<DataHistoryRow> path = rows.stream()
                .filter(row -> !DataTrackState.BASELINE.equals(row.type()))
                .filter(row -> row.version().isPresent()
                        && MigrationVersion.fromVersion(row.version().get()).compareTo(target) > 0)
                .toList();
        if (path.isEmpty()) {
            return;
        }
        int firstRank =
                path.stream().mapToInt(DataHistoryRow::installedRank).min().orElseThrow();
        MigrationVersion highest = null;
        for (DataHistoryRow row : rows) {
            if (row.version().isEmpty() || row.installedRank() < firstRank) {
                continue;
            }
            MigrationVersion version =
                    MigrationVersion.fromVersion(row.version().get());
            if (version.compareTo(target) <= 0 || (highest != null && version.compareTo(highest) < 0)) {
                problems.add(new Problem(
                        ErrorCode.VALIDATION,
                        "Data migration '" + row.script() + "' (version " + version.getVersion()
                                + ") was applied out of order, after a migration above the target '"
                                + target.getVersion() + "': undoing in the reverse order of application would not"
                                + " return the data track to version " + target.getVersion() + ".",
                        "Choose a target above the versions applied out of order, or undo them by hand."));
            }
            if (highest == null || version.compareTo(highest) > 0) {
                highest = version;
            }
        }
        Map<MigrationVersion, ResolvedDataMigration> undos = this.data.undoScripts();
        Map<MigrationVersion, ResolvedDataMigration> java = new java.util.HashMap<>();
        for (ResolvedDataMigration local : this.data.local()) {
            if (local.java().isPresent() && local.version().isPresent()) {
                java.put(local.version().get(), local);
            }
        }
        for (DataHistoryRow row : path) {
            MigrationVersion version =
                    MigrationVersion.fromVersion(row.version().orElseThrow());
            if (!row.success()) {
                problems.add(new Problem(
                        ErrorCode.VALIDATION,
                        "Data migration '" + row.script() + "' is recorded as failed: what ran of it is not known,"
                                + " so its undo cannot be trusted to run.",
                        "Repair it first: finish or revert what it did by hand, then remove its failed history row."));
                continue;
            }
            ResolvedDataMigration undo = undos.get(version);
            if (undo == null) {
                ResolvedDataMigration migration = java.get(version);
                Optional<String> missing = migration == null
                        ? Optional.of("has no undo script 'U" + version.getVersion() + "__"
                                + row.description().replace(' ', '_') + ".sql' in " + this.settings.dataLocations())
                        : DataTrack.missingUndo(migration.java().orElseThrow());
                if (missing.isPresent()) {
                    problems.add(new Problem(
                            ErrorCode.VALIDATION,
                            "Data migration '" + row.script() + "' " + missing.get() + ".",
                            "Write its undo (a 'U" + version.getVersion()
                                    + "__<description>.sql' script, or undo() on a Java migration), or choose a"
                                    + " target above version " + version.getVersion() + "."));
                    continue;
                }
                undo = migration;
            }
            steps.add(new Planned(
                    new UndoStep(
                            Track.DATA,
                            entry(row),
                            undo.script(),
                            undo.transactional(),
                            undo.sql().map(sql -> sql.text())),
                    row.installedOn(),
                    row.installedRank(),
                    null,
                    row,
                    undo));
        }
        for (DataHistoryRow row : rows) {
            if (row.version().isEmpty() && row.installedRank() > firstRank) {
                rerun.add(row);
            }
        }
    }

    /**
     * Undo down to the options' targets, under the cluster lock.
     *
     * @throws MigratorException when the path cannot be undone (before anything ran) or an undo
     *     fails (what was undone before it stays undone; the failing one stays applied when its undo
     *     ran in a transaction)
     */
    public UndoReport undo(RunOptions options) {
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        plan(options, true);
        try (ClusterLock.Held held = this.lock.acquire(options.lockWaitTimeout(this.settings))) {
            // Planned again under the lock: another instance may have migrated or undone meanwhile.
            Plan plan = plan(options, true);
            warnOfDataLeftApplied(plan.steps());
            List<UndoStep> undone = new ArrayList<>();
            Fence fence = held.fence();
            try (Connection connection = this.connections.open()) {
                SessionTimeouts.Profile original = SessionTimeouts.current(connection);
                try {
                    for (Planned planned : plan.steps()) {
                        fence.ensureHeld();
                        long stepStart = System.nanoTime();
                        undoOne(connection, planned, fence);
                        undone.add(planned.step());
                        logger.info(
                                "Undid {} migration {} with {} in {} ms",
                                planned.step().track().name().toLowerCase(java.util.Locale.ROOT),
                                planned.step().migration().script(),
                                planned.step().undo(),
                                Duration.ofNanos(System.nanoTime() - stepStart).toMillis());
                    }
                    forgetRepeatables(connection, plan, fence);
                } catch (MigratorException ex) {
                    throw undoneBefore(ex, undone);
                } catch (Exception ex) {
                    throw undoneBefore(failure(plan, undone, ex), undone);
                } finally {
                    try {
                        if (!connection.getAutoCommit()) {
                            connection.rollback();
                            connection.setAutoCommit(true);
                        }
                        SessionTimeouts.restore(connection, original);
                    } catch (SQLException ex) {
                        logger.debug("Could not restore the undo connection", ex);
                    }
                }
            } catch (SQLException ex) {
                throw new MigratorException(
                        ErrorCode.CONNECTION,
                        "Could not undo on the database: '" + Redactor.redact(Connections.firstLine(ex)) + "'.",
                        "Check the connection and run undo again.",
                        ex);
            }
            if (!undone.isEmpty()) {
                logger.info(
                        "Undo succeeded: {} migration(s) undone; the next migrate applies them again", undone.size());
            }
            return new UndoReport(startedAt, Duration.ofNanos(System.nanoTime() - start), undone, plan.rerun());
        }
    }

    private void undoOne(Connection connection, Planned planned, Fence fence) throws Exception {
        UndoStep step = planned.step();
        String what = "Undo of " + step.track().name().toLowerCase(java.util.Locale.ROOT) + " migration '"
                + step.migration().script() + "' by '" + step.undo() + "'";
        if (!step.transactional()) {
            connection.setAutoCommit(true);
            int pid = SessionTimeouts.apply(connection, this.timeouts.nonTransactional(), false);
            run(connection, planned, fence, pid);
            connection.setAutoCommit(false);
            fence.check(connection);
            forget(connection, planned);
            connection.commit();
            connection.setAutoCommit(true);
            return;
        }
        connection.setAutoCommit(false);
        int pid = SessionTimeouts.apply(connection, this.timeouts.transactional(0), true);
        this.data
                .retries()
                .run(
                        what,
                        pid,
                        (attempt, profile) -> {
                            if (attempt > 0) {
                                SessionTimeouts.apply(connection, profile, true);
                            }
                            fence.check(connection);
                            run(connection, planned, fence, pid);
                            forget(connection, planned);
                            connection.commit();
                            return null;
                        },
                        connection::rollback,
                        fence::ensureHeld);
        connection.setAutoCommit(true);
    }

    /** Run an undo's statements or Java code. */
    private void run(Connection connection, Planned planned, Fence fence, int pid) throws Exception {
        if (planned.schemaUndo() != null) {
            this.schema.execute(planned.schemaUndo(), connection);
        } else {
            this.data.undo(
                    connection,
                    Objects.requireNonNull(planned.dataRow()),
                    Objects.requireNonNull(planned.dataUndo()),
                    fence,
                    pid);
        }
    }

    /** Remove the history row of an undone migration, and the backfill progress of a data one. */
    private void forget(Connection connection, Planned planned) throws SQLException {
        if (planned.schemaUndo() == null) {
            DataHistoryRow row = Objects.requireNonNull(planned.dataRow());
            this.data.forget(connection, List.of(row.installedRank()), row.version());
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM " + this.schema.historyTable(connection) + " WHERE installed_rank = ?")) {
            statement.setInt(1, planned.rank());
            statement.executeUpdate();
        }
    }

    /**
     * Remove the history rows of the repeatable migrations applied after the first undone migration,
     * so that the next migrate runs them again after the versions it re-applies, as it did then.
     */
    private void forgetRepeatables(Connection connection, Plan plan, Fence fence) throws SQLException {
        if (plan.schemaRerun().isEmpty() && plan.dataRerun().isEmpty()) {
            return;
        }
        connection.setAutoCommit(false);
        fence.check(connection);
        if (!plan.schemaRerun().isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "DELETE FROM " + this.schema.historyTable(connection) + " WHERE installed_rank = ANY (?)")) {
                statement.setArray(
                        1,
                        connection.createArrayOf(
                                "integer",
                                plan.schemaRerun().stream()
                                        .map(MigrationInfo::getInstalledRank)
                                        .toArray()));
                statement.executeUpdate();
            }
        }
        if (!plan.dataRerun().isEmpty()) {
            this.data.forget(
                    connection,
                    plan.dataRerun().stream().map(DataHistoryRow::installedRank).toList(),
                    Optional.empty());
        }
        connection.commit();
        connection.setAutoCommit(true);
    }

    /** Describe the failure of the undo that was running. */
    private static MigratorException failure(Plan plan, List<UndoStep> undone, Exception ex) {
        SQLException sql = Connections.findSqlException(ex);
        String cause = (sql != null)
                ? "'" + Connections.firstLine(sql) + "'"
                        + (sql.getSQLState() == null ? "" : " (SQL state " + sql.getSQLState() + ")")
                : "'" + ex.getClass().getSimpleName() + ": " + Connections.firstLine(ex) + "'";
        if (undone.size() >= plan.steps().size()) {
            // Every undo committed; removing the rows of the repeatables to run again failed.
            return new MigratorException(
                    ErrorCode.MIGRATION,
                    Redactor.redact("Every migration was undone, but removing the history rows of the repeatable"
                            + " migrations to run again failed: " + cause + "."),
                    "Their rows stay, so the next migrate runs them again only if their files changed: delete"
                            + " their rows from the history table ("
                            + plan.rerun().stream().map(MigrationEntry::script).toList()
                            + ") to have them run after the re-applied versions.",
                    ex);
        }
        UndoStep failed = plan.steps().get(undone.size()).step();
        return new MigratorException(
                ErrorCode.MIGRATION,
                Redactor.redact("Undo of " + failed.track().name().toLowerCase(java.util.Locale.ROOT) + " migration '"
                        + failed.migration().script() + "' by '" + failed.undo() + "' failed: " + cause + "."),
                failed.transactional()
                        ? "Its transaction was rolled back, so the migration is still applied; fix the undo and run"
                                + " undo again."
                        : "It ran outside a transaction: what ran of it stays, and the migration is still recorded as"
                                + " applied; finish the undo by hand, or fix it and run undo again.",
                ex);
    }

    private static MigratorException undoneBefore(MigratorException failure, List<UndoStep> undone) {
        if (undone.isEmpty()) {
            return failure;
        }
        return new MigratorException(
                failure.code(),
                failure.description() + " Undone before it: "
                        + undone.stream().map(s -> s.migration().script()).toList() + ".",
                failure.action(),
                failure.getCause() != null ? failure.getCause() : failure);
    }

    private static String file(MigrationInfo migration) {
        return SchemaTrack.fileName(migration.getScript(), migration.getDescription());
    }

    private static MigrationEntry entry(DataHistoryRow row) {
        return new MigrationEntry(row.version(), row.description(), row.script(), row.type());
    }
}
