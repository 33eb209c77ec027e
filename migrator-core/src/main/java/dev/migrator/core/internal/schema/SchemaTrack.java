package dev.migrator.core.internal.schema;

import dev.migrator.core.AppliedMigration;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.HistoryEntry;
import dev.migrator.core.MigrationEntry;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Track;
import dev.migrator.core.TrackStatus;
import dev.migrator.core.internal.jdbc.Connections;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;
import org.flywaydb.core.api.pattern.ValidatePattern;
import org.flywaydb.core.internal.exception.FlywayMigrateException;
import org.flywaydb.core.internal.scanner.Scanner;
import org.jspecify.annotations.Nullable;

/**
 * The schema track: Flyway with unchanged semantics, its failures translated into migrator's
 * messages.
 */
public final class SchemaTrack {

    private final Flyway flyway;

    private volatile @Nullable Flyway reader;

    private final String target;

    private final List<String> locations;

    public SchemaTrack(Flyway flyway, String target) {
        this.flyway = flyway;
        this.target = target;
        this.locations = Arrays.stream(flyway.getConfiguration().getLocations())
                .map(Object::toString)
                .toList();
    }

    public Flyway flyway() {
        return this.flyway;
    }

    public TrackStatus status() {
        return read().status();
    }

    /**
     * Read the status and the versions the data track plans against from one {@code info()}: each
     * call resolves every migration and reads the history table.
     */
    public Snapshot read() {
        MigrationInfoService info = info();
        Optional<MigrationVersion> current = Optional.ofNullable(info.current()).map(MigrationInfo::getVersion);
        List<MigrationEntry> failed = Arrays.stream(info.all())
                .filter(m -> m.getState().isFailed())
                .map(SchemaTrack::entry)
                .toList();
        TrackStatus status = new TrackStatus(
                current.map(MigrationVersion::getVersion),
                this.target,
                Arrays.stream(info.pending()).map(SchemaTrack::entry).toList(),
                failed);
        List<MigrationVersion> reachable = Arrays.stream(info.all())
                .filter(m -> m.getVersion() != null)
                .filter(m -> m.getState() != org.flywaydb.core.api.MigrationState.ABOVE_TARGET)
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
        return Arrays.stream(info().applied())
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
        // Flyway's validation fails on pending migrations unless told otherwise; keep the user's patterns.
        ValidatePattern[] ignore = java.util.stream.Stream.concat(
                        Arrays.stream(this.flyway.getConfiguration().getIgnoreMigrationPatterns()),
                        java.util.stream.Stream.of(ValidatePattern.fromPattern("*:pending")))
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
                            + ". Restore it as it was applied and put the change in a new migration.")
                    .toList();
        } catch (FlywayException ex) {
            return List.of(translate(ex).getMessage());
        }
    }

    /**
     * Read the versions the data track plans against: the current one, and every schema version up
     * to the target in order.
     */
    public Versions versions() {
        return read().versions();
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
     * Apply pending migrations up to the target; on failure, throw with the migrations applied before
     * the failing one passed to {@code appliedBeforeFailure}.
     */
    public List<AppliedMigration> migrate(Consumer<List<AppliedMigration>> appliedBeforeFailure) {
        return migrate(this.flyway, appliedBeforeFailure);
    }

    /** Apply pending migrations up to the given version, below the target. */
    public List<AppliedMigration> migrateTo(
            MigrationVersion version, Consumer<List<AppliedMigration>> appliedBeforeFailure) {
        Flyway stepped = Flyway.configure(this.flyway.getConfiguration().getClassLoader())
                .configuration(this.flyway.getConfiguration())
                .target(version.getVersion())
                .load();
        return migrate(stepped, appliedBeforeFailure);
    }

    private List<AppliedMigration> migrate(Flyway flyway, Consumer<List<AppliedMigration>> appliedBeforeFailure) {
        try {
            return applied(flyway.migrate());
        } catch (FlywayMigrateException ex) {
            appliedBeforeFailure.accept(applied(ex.getErrorResult()));
            throw migrationFailed(ex);
        } catch (FlywayValidateException ex) {
            throw validationFailed(ex);
        } catch (FlywayException ex) {
            throw translate(ex);
        }
    }

    /**
     * The Flyway instance for status reads, made on first use. It scans the locations once (the files
     * of a running application do not change) and runs no SQL callbacks: rescanning for scripts and
     * callbacks on every health check or endpoint request would cost more than the read itself.
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

    private MigrationInfoService info() {
        try {
            return reader().info();
        } catch (FlywayException ex) {
            throw translate(ex);
        }
    }

    /**
     * Explain a target that names no migration; Flyway's own message does not say which versions
     * exist. Called only on that failure, so the extra resolution costs nothing on the normal path.
     */
    private MigratorException unknownTarget(FlywayException ex) {
        MigrationInfo[] all = Flyway.configure(this.flyway.getConfiguration().getClassLoader())
                .configuration(this.flyway.getConfiguration())
                .target("latest")
                .load()
                .info()
                .all();
        String latest = Arrays.stream(all)
                .map(MigrationInfo::getVersion)
                .filter(Objects::nonNull)
                .max(MigrationVersion::compareTo)
                .map(MigrationVersion::getVersion)
                .orElse("none");
        return new MigratorException(
                ErrorCode.CONFIGURATION,
                "Schema target '" + this.target + "' matches no migration in " + this.locations + " (latest is '"
                        + latest + "').",
                "Set 'migrator.schema.target' to an existing version, 'latest' or 'current'.",
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
    private static String fileName(@Nullable String path, String fallback) {
        if (path == null || path.isEmpty()) {
            return fallback;
        }
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(slash + 1);
    }

    static MigrationEntry entry(MigrationInfo info) {
        return new MigrationEntry(
                Optional.ofNullable(info.getVersion()).map(MigrationVersion::getVersion),
                info.getDescription(),
                info.getScript(),
                info.getType().name());
    }

    private static MigratorException migrationFailed(FlywayMigrateException ex) {
        MigrationInfo migration = ex.getMigration();
        SQLException sqlException = Connections.findSqlException(ex);
        String cause = (sqlException != null) ? Connections.firstLine(sqlException) : Connections.firstLine(ex);
        String sqlState = (ex.getSqlState() != null)
                ? ex.getSqlState()
                : (sqlException != null) ? sqlException.getSQLState() : null;
        StringBuilder description = new StringBuilder("Schema migration '")
                .append(migration.getScript())
                .append("' failed");
        if (ex.getLineNumber() > 0) {
            description.append(" at line ").append(ex.getLineNumber());
        }
        description.append(": '").append(cause).append("'");
        if (sqlState != null) {
            description.append(" (SQL state ").append(sqlState).append(")");
        }
        description.append('.');
        String action;
        if (ex.isExecutableInTransaction()) {
            action = "Its transaction was rolled back, so nothing of it is applied";
        } else {
            action = "It ran outside a transaction, so part of it may be applied and it is recorded as failed in"
                    + " the schema history: undo what it did and delete its failed row (Flyway repair)";
        }
        action += "; fix the migration and start again.";
        if ("42501".equals(sqlState)) {
            action += " The migration user lacks a privilege: grant it, or run migrations as the schema owner"
                    + " (migrator.user/password).";
        }
        return new MigratorException(ErrorCode.MIGRATION, description.toString(), action, ex);
    }

    private static MigratorException validationFailed(FlywayValidateException ex) {
        // Flyway's message lists each invalid migration on its own lines; keep them, drop its advert lines.
        String details = ex.getMessage()
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .filter(line -> !line.startsWith("Validate failed") && !line.startsWith("Need more flexibility"))
                .collect(Collectors.joining("; "));
        return new MigratorException(
                ErrorCode.VALIDATION,
                "Schema migrations do not match the schema history: '" + details + "'.",
                "An applied migration must not change or disappear: restore the file as it was applied and put"
                        + " the change in a new migration.",
                ex);
    }

    private MigratorException translate(FlywayException ex) {
        if (ex.getMessage().startsWith("No migration with a target version")) {
            return unknownTarget(ex);
        }
        SQLException sqlException = Connections.findSqlException(ex);
        String details = ex.getMessage()
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .collect(Collectors.joining("; "));
        if (details.startsWith("Found more than one migration")) {
            return new MigratorException(
                    ErrorCode.VALIDATION,
                    "Two schema migrations share a version: '" + details + "'.",
                    "Give one of them a new version.",
                    ex);
        }
        if (sqlException != null && Connections.isAuthenticationFailure(sqlException)) {
            return Connections.authenticationFailed(sqlException, ex);
        }
        return new MigratorException(
                ErrorCode.MIGRATION,
                "Schema migration failed: '" + details + "'.",
                "Fix the cause above and start again.",
                ex);
    }
}
