package dev.migrator.core.internal.data;

import dev.migrator.core.AppliedMigration;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.HistoryEntry;
import dev.migrator.core.MigrationEntry;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Track;
import dev.migrator.core.data.Backfill;
import dev.migrator.core.data.DataMigration;
import dev.migrator.core.data.DataMigrationContext;
import dev.migrator.core.internal.jdbc.Connections;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.api.MigrationVersion;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data track: migrator's own engine for DML migrations in SQL files and Java classes, with its
 * own history table. Each migration runs on its own connection, in one transaction unless it opts
 * out, and is recorded in the same transaction.
 */
public final class DataTrack {

    private static final Logger logger = LoggerFactory.getLogger(DataTrack.class);

    private final Connections connections;

    private final ResourceScanner scanner;

    private final List<String> locations;

    private final String prefix;

    private final Pattern versionedName;

    private final String table;

    private final Optional<String> schema;

    private final String target;

    private final int batchSize;

    private final Supplier<List<DataMigration>> javaMigrations;

    private volatile @Nullable PostgresDataHistory history;

    private volatile @Nullable List<ResolvedDataMigration> resolved;

    public DataTrack(
            Connections connections,
            ResourceScanner scanner,
            List<String> locations,
            String prefix,
            Optional<String> schema,
            String table,
            String target,
            int batchSize,
            Supplier<List<DataMigration>> javaMigrations) {
        this.connections = connections;
        this.scanner = scanner;
        this.locations = List.copyOf(locations);
        this.prefix = prefix;
        this.versionedName = Pattern.compile(Pattern.quote(prefix) + "([0-9]+(?:[._][0-9]+)*)__(.+)\\.sql");
        this.schema = schema;
        this.table = table;
        this.target = target;
        this.batchSize = batchSize;
        this.javaMigrations = javaMigrations;
    }

    /** Read where the track stands: local migrations against the history, validated. */
    public State read() {
        List<ResolvedDataMigration> resolved = resolve();
        return state(resolved, historyRows());
    }

    /** Return the applied (and failed) data migrations in the order they ran. */
    public List<HistoryEntry> history() {
        return historyRows().stream()
                .map(row -> new HistoryEntry(
                        Track.DATA,
                        row.installedRank(),
                        new MigrationEntry(row.version(), row.description(), row.script(), row.type()),
                        row.installedBy(),
                        row.installedOn(),
                        Duration.ofMillis(row.executionTimeMs()),
                        row.rowsAffected(),
                        row.success()))
                .toList();
    }

    private List<PostgresDataHistory.Row> historyRows() {
        try (Connection connection = this.connections.open()) {
            return history(connection).rows(connection);
        } catch (SQLException ex) {
            throw new MigratorException(
                    ErrorCode.CONNECTION,
                    "Could not read the data history table '" + this.table + "': '" + Connections.firstLine(ex) + "'.",
                    "Check that the migration user may read it.",
                    ex);
        }
    }

    /** Return what is wrong with the data migrations against their history, one message per problem. */
    public List<String> validate() {
        try {
            read();
            return List.of();
        } catch (MigratorException ex) {
            if (ex.code() == ErrorCode.CONNECTION) {
                throw ex;
            }
            return List.of(ex.getMessage());
        }
    }

    /**
     * Open a session for applying migrations: one connection for the whole run, as Flyway does, with
     * the history tables created if they are missing. Runs under the cluster lock.
     */
    public Session session() {
        Connection connection = this.connections.open();
        try {
            history(connection).create(connection);
            return new Session(connection);
        } catch (SQLException ex) {
            closeQuietly(connection);
            throw new MigratorException(
                    ErrorCode.MIGRATION,
                    "Could not create the data history table '" + this.table + "': '" + Connections.firstLine(ex)
                            + "' (SQL state " + ex.getSQLState() + ").",
                    "Grant the migration user CREATE on the schema, or create the table as its owner.",
                    ex);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ex) {
            logger.debug("Could not close a connection", ex);
        }
    }

    private PostgresDataHistory history(Connection connection) throws SQLException {
        PostgresDataHistory history = this.history;
        if (history == null) {
            String schemaName = this.schema.orElse(null);
            if (schemaName == null) {
                try (Statement statement = connection.createStatement();
                        var rs = statement.executeQuery("SELECT current_schema()")) {
                    rs.next();
                    schemaName = rs.getString(1);
                }
            }
            history = new PostgresDataHistory(schemaName, this.table);
            this.history = history;
        }
        return history;
    }

    /**
     * Return the local data migrations. They are read once: the files and beans of a running
     * application do not change, and reading hundreds of files on every status request would cost
     * more than the request itself.
     */
    List<ResolvedDataMigration> resolve() {
        List<ResolvedDataMigration> resolved = this.resolved;
        if (resolved == null) {
            List<ResolvedDataMigration> found = new ArrayList<>();
            for (ResourceScanner.Resource resource : this.scanner.scan(this.locations, ".sql")) {
                found.add(resolveSql(resource));
            }
            for (DataMigration migration : this.javaMigrations.get()) {
                found.add(resolveJava(migration));
            }
            checkDuplicates(found);
            resolved = List.copyOf(found);
            this.resolved = resolved;
        }
        return resolved;
    }

    private ResolvedDataMigration resolveSql(ResourceScanner.Resource resource) {
        String fileName = resource.fileName();
        String content = resource.read();
        SqlScript script = SqlScript.parse(fileName, content);
        Optional<Integer> checksum = Optional.of(SqlScript.checksum(content));
        Matcher versioned = this.versionedName.matcher(fileName);
        if (versioned.matches()) {
            return new ResolvedDataMigration(
                    Optional.of(MigrationVersion.fromVersion(versioned.group(1))),
                    versioned.group(2).replace('_', ' '),
                    fileName,
                    "SQL",
                    checksum,
                    script.transactional(),
                    script.afterSchema().map(MigrationVersion::fromVersion),
                    Optional.of(script),
                    Optional.empty());
        }
        if (fileName.startsWith("R__") && fileName.length() > "R__.sql".length()) {
            return new ResolvedDataMigration(
                    Optional.empty(),
                    fileName.substring(3, fileName.length() - 4).replace('_', ' '),
                    fileName,
                    "SQL_REPEATABLE",
                    checksum,
                    script.transactional(),
                    script.afterSchema().map(MigrationVersion::fromVersion),
                    Optional.of(script),
                    Optional.empty());
        }
        throw new MigratorException(
                ErrorCode.CONFIGURATION,
                "File '" + resource.relativePath() + "' in '" + resource.location() + "' is not named like a data"
                        + " migration.",
                "Name it '" + this.prefix + "<version>__<description>.sql' or 'R__<description>.sql', or move it"
                        + " out of the data locations.",
                null);
    }

    private static ResolvedDataMigration resolveJava(DataMigration migration) {
        String name = migration.getClass().getName();
        String version = migration.version();
        if (!version.matches("[0-9]+([._][0-9]+)*")) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "Java data migration '" + name + "' has an invalid version '" + version + "'.",
                    "Return digits separated by '.' or '_' from version(), such as '3' or '1.2'.",
                    null);
        }
        Optional<String> afterSchema = migration.afterSchema();
        afterSchema.filter(v -> !v.matches("[0-9]+([._][0-9]+)*")).ifPresent(v -> {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "Java data migration '" + name + "' pins an invalid schema version '" + v + "'.",
                    "Return digits separated by '.' or '_' from afterSchema(), such as '7'.",
                    null);
        });
        return new ResolvedDataMigration(
                Optional.of(MigrationVersion.fromVersion(version)),
                migration.description(),
                name,
                "JAVA",
                migration.checksum(),
                migration.transactional(),
                afterSchema.map(MigrationVersion::fromVersion),
                Optional.empty(),
                Optional.of(migration));
    }

    private static void checkDuplicates(List<ResolvedDataMigration> resolved) {
        Map<Object, ResolvedDataMigration> seen = new HashMap<>();
        for (ResolvedDataMigration migration : resolved) {
            Object key = migration.version().isPresent() ? migration.version().get() : "R:" + migration.description();
            ResolvedDataMigration other = seen.putIfAbsent(key, migration);
            if (other != null) {
                throw new MigratorException(
                        ErrorCode.VALIDATION,
                        "Two data migrations share "
                                + migration
                                        .versionText()
                                        .map(v -> "version '" + v + "'")
                                        .orElse("description '" + migration.description() + "'")
                                + ": '" + other.script() + "' and '" + migration.script() + "'.",
                        "Give one of them a new version.",
                        null);
            }
        }
    }

    private State state(List<ResolvedDataMigration> resolved, List<PostgresDataHistory.Row> rows) {
        Map<MigrationVersion, PostgresDataHistory.Row> appliedVersions = new LinkedHashMap<>();
        Map<MigrationVersion, PostgresDataHistory.Row> failedVersions = new LinkedHashMap<>();
        Map<String, PostgresDataHistory.Row> repeatables = new HashMap<>();
        for (PostgresDataHistory.Row row : rows) {
            if (row.version().isPresent()) {
                MigrationVersion version =
                        MigrationVersion.fromVersion(row.version().get());
                if (row.success()) {
                    appliedVersions.put(version, row);
                    failedVersions.remove(version);
                } else if (!appliedVersions.containsKey(version)) {
                    failedVersions.put(version, row);
                }
            } else if (row.success()) {
                repeatables.put(row.description(), row);
            }
        }
        Map<MigrationVersion, ResolvedDataMigration> local = new HashMap<>();
        resolved.stream()
                .filter(m -> m.version().isPresent())
                .forEach(m -> local.put(m.version().get(), m));
        for (PostgresDataHistory.Row row : appliedVersions.values()) {
            ResolvedDataMigration migration =
                    local.get(MigrationVersion.fromVersion(row.version().get()));
            if (migration == null) {
                throw new MigratorException(
                        ErrorCode.VALIDATION,
                        "Applied data migration '" + row.version().get() + "' ('" + row.script()
                                + "') is missing locally.",
                        "Restore it in " + this.locations + " (or its Java bean); applied migrations must stay.",
                        null);
            }
            if (row.checksum().isPresent()
                    && migration.checksum().isPresent()
                    && !row.checksum().equals(migration.checksum())) {
                throw new MigratorException(
                        ErrorCode.VALIDATION,
                        "Data migration '" + migration.script() + "' changed after it was applied (checksum "
                                + row.checksum().get() + " applied, "
                                + migration.checksum().get() + " now).",
                        "Restore it as it was applied and put the change in a new data migration.",
                        null);
            }
        }
        Optional<MigrationVersion> current = appliedVersions.keySet().stream().max(Comparator.naturalOrder());
        Optional<MigrationVersion> targetVersion = targetVersion(local);
        List<ResolvedDataMigration> pending = new ArrayList<>();
        resolved.stream()
                .filter(m -> m.version().isPresent())
                .filter(m -> !appliedVersions.containsKey(m.version().get()))
                .sorted(Comparator.comparing(m -> m.version().get()))
                .forEach(m -> {
                    if (current.isPresent()
                            && m.version().get().compareTo(current.get()) < 0
                            && !failedVersions.containsKey(m.version().get())) {
                        throw new MigratorException(
                                ErrorCode.VALIDATION,
                                "Data migration '" + m.script() + "' has version '"
                                        + m.versionText().get()
                                        + "', below the applied data version '"
                                        + current.get().getVersion()
                                        + "', so it would never run.",
                                "Give it a version above " + current.get().getVersion() + ".",
                                null);
                    }
                    if (targetVersion
                            .map(t -> m.version().get().compareTo(t) <= 0)
                            .orElse(!"current".equals(this.target))) {
                        pending.add(m);
                    }
                });
        if (!"current".equals(this.target)) {
            resolved.stream()
                    .filter(ResolvedDataMigration::isRepeatable)
                    .filter(m -> !m.checksum()
                            .equals(Optional.ofNullable(repeatables.get(m.description()))
                                    .flatMap(PostgresDataHistory.Row::checksum)))
                    .sorted(Comparator.comparing(ResolvedDataMigration::description))
                    .forEach(pending::add);
        }
        List<MigrationEntry> failed = failedVersions.values().stream()
                .map(row -> new MigrationEntry(row.version(), row.description(), row.script(), row.type()))
                .toList();
        return new State(pending, failed, current.map(MigrationVersion::getVersion));
    }

    private Optional<MigrationVersion> targetVersion(Map<MigrationVersion, ResolvedDataMigration> local) {
        if ("latest".equalsIgnoreCase(this.target) || "current".equalsIgnoreCase(this.target)) {
            return Optional.empty();
        }
        MigrationVersion target = MigrationVersion.fromVersion(this.target);
        if (!local.containsKey(target)) {
            String latest = local.keySet().stream()
                    .max(Comparator.naturalOrder())
                    .map(MigrationVersion::getVersion)
                    .orElse("none");
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "Data target '" + this.target + "' matches no data migration (latest is '" + latest + "').",
                    "Set 'migrator.data.target' to an existing version, 'latest' or 'current'.",
                    null);
        }
        return Optional.of(target);
    }

    /** A run's connection for applying data migrations; closing it returns the connection. */
    public final class Session implements AutoCloseable {

        private final Connection connection;

        private Session(Connection connection) {
            this.connection = connection;
        }

        /**
         * Apply one migration and record it. A transactional migration and its history row commit
         * together; a failed one leaves nothing. A non-transactional one that fails is recorded as
         * failed and retried by the next run, its backfills resuming after their last completed batch.
         */
        public AppliedMigration apply(ResolvedDataMigration migration, Optional<String> schemaVersion) {
            long start = System.nanoTime();
            long[] rows = {0};
            boolean[] counted = {false};
            LongConsumer rowCounter = n -> {
                rows[0] += n;
                counted[0] = true;
            };
            Connection connection = this.connection;
            try {
                PostgresDataHistory history = history(connection);
                connection.setAutoCommit(!migration.transactional());
                try {
                    if (migration.sql().isPresent()) {
                        runSql(connection, migration.sql().get(), rowCounter);
                    } else {
                        DataMigration java = migration.java().orElseThrow();
                        java.migrate(new Context(connection, history, migration, schemaVersion, rowCounter));
                        connection.setAutoCommit(!migration.transactional());
                    }
                    int millis =
                            (int) Duration.ofNanos(System.nanoTime() - start).toMillis();
                    record(connection, history, migration, millis, counted[0] ? rows[0] : null, true);
                    if (migration.java().isPresent() && migration.versionText().isPresent()) {
                        // Only Java migrations run backfills, which leave progress rows behind.
                        history.clearProgress(
                                connection, migration.versionText().get());
                    }
                    if (migration.transactional()) {
                        connection.commit();
                    }
                    logger.info(
                            "Applied data migration {} ({}) in {} ms{}",
                            migration.versionText().orElse("repeatable"),
                            migration.script(),
                            millis,
                            counted[0] ? ", " + rows[0] + " rows" : "");
                    return new AppliedMigration(migration.entry(), Duration.ofMillis(millis));
                } catch (Exception ex) {
                    if (migration.transactional()) {
                        rollbackQuietly(connection);
                    } else {
                        recordFailure(connection, history, migration, start);
                    }
                    throw failed(migration, ex);
                }
            } catch (SQLException ex) {
                throw failed(migration, ex);
            }
        }

        @Override
        public void close() {
            closeQuietly(this.connection);
        }
    }

    private static void runSql(Connection connection, SqlScript script, LongConsumer rows) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (SqlScript.Statement sql : script.statements()) {
                try {
                    statement.execute(sql.sql());
                    int count = statement.getUpdateCount();
                    if (count > 0) {
                        rows.accept(count);
                    }
                } catch (SQLException ex) {
                    throw new StatementFailure(sql.line(), ex);
                }
            }
        }
    }

    private static void record(
            Connection connection,
            PostgresDataHistory history,
            ResolvedDataMigration migration,
            int millis,
            @Nullable Long rows,
            boolean success)
            throws SQLException {
        history.insert(
                connection,
                migration.versionText().orElse(null),
                migration.description(),
                migration.type(),
                migration.script(),
                migration.checksum().orElse(null),
                millis,
                rows,
                success);
    }

    private void recordFailure(
            Connection connection, PostgresDataHistory history, ResolvedDataMigration migration, long start) {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            record(
                    connection,
                    history,
                    migration,
                    (int) Duration.ofNanos(System.nanoTime() - start).toMillis(),
                    null,
                    false);
        } catch (SQLException ex) {
            logger.warn("Could not record data migration {} as failed: {}", migration.script(), ex.getMessage());
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ex) {
            logger.debug("Rollback failed", ex);
        }
    }

    private static MigratorException failed(ResolvedDataMigration migration, Throwable failure) {
        if (failure instanceof MigratorException migratorException) {
            return migratorException;
        }
        StringBuilder description =
                new StringBuilder("Data migration '").append(migration.script()).append("'");
        description.append(" failed");
        Throwable cause = failure;
        if (failure instanceof StatementFailure statementFailure) {
            description.append(" at line ").append(statementFailure.line);
            cause = failure.getCause();
        }
        if (failure instanceof KeysetBackfill.BackfillFailure backfill) {
            description
                    .append(" at batch ")
                    .append(backfill.batch())
                    .append(" of the backfill of ")
                    .append(backfill.table());
            cause = failure.getCause();
        }
        SQLException sqlException = Connections.findSqlException(cause);
        if (sqlException != null) {
            description
                    .append(": '")
                    .append(Connections.firstLine(sqlException))
                    .append("'");
            if (sqlException.getSQLState() != null) {
                description
                        .append(" (SQL state ")
                        .append(sqlException.getSQLState())
                        .append(")");
            }
        } else {
            description
                    .append(": '")
                    .append(cause.getClass().getSimpleName())
                    .append(": ")
                    .append(Connections.firstLine(cause))
                    .append("'");
        }
        description.append('.');
        String action = migration.transactional()
                ? "Its transaction was rolled back and data migrations applied before it stay applied; fix it and"
                        + " start again."
                : "It ran without a transaction and is recorded as failed; completed backfill batches are not"
                        + " repeated, the rest of it runs again: fix it and start again.";
        return new MigratorException(ErrorCode.MIGRATION, description.toString(), action, failure);
    }

    /** Where the track stands. */
    public record State(List<ResolvedDataMigration> pending, List<MigrationEntry> failed, Optional<String> current) {}

    /** A failed statement of a SQL migration, with the line it starts on. */
    private static final class StatementFailure extends SQLException {

        private final int line;

        StatementFailure(int line, SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause);
            this.line = line;
        }
    }

    private final class Context implements DataMigrationContext {

        private final Connection connection;

        private final PostgresDataHistory history;

        private final ResolvedDataMigration migration;

        private final Optional<String> schemaVersion;

        private final LongConsumer rows;

        private final Logger logger;

        Context(
                Connection connection,
                PostgresDataHistory history,
                ResolvedDataMigration migration,
                Optional<String> schemaVersion,
                LongConsumer rows) {
            this.connection = connection;
            this.history = history;
            this.migration = migration;
            this.schemaVersion = schemaVersion;
            this.rows = rows;
            this.logger = LoggerFactory.getLogger(migration.java().orElseThrow().getClass());
        }

        @Override
        public Connection connection() {
            return this.connection;
        }

        @Override
        public Optional<String> schemaVersion() {
            return this.schemaVersion;
        }

        @Override
        public Logger logger() {
            return this.logger;
        }

        @Override
        public Backfill backfill(String table) {
            return new KeysetBackfill(
                    this.connection,
                    this.history,
                    this.migration.versionText().orElse(this.migration.script()),
                    table,
                    DataTrack.this.batchSize,
                    this.logger,
                    this.rows);
        }
    }
}
