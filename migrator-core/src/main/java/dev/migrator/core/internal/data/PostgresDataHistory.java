package dev.migrator.core.internal.data;

import dev.migrator.core.BackfillProgress;
import dev.migrator.core.internal.jdbc.Connections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The data track's history table and its backfill progress table, in PostgreSQL. The progress
 * table is named after the history table with a {@code _progress} suffix.
 */
public final class PostgresDataHistory {

    /** What the progress table's name adds to the history table's. */
    public static final String PROGRESS_SUFFIX = "_progress";

    private final String table;

    private final String progressTable;

    private static final String UNDEFINED_TABLE = "42P01";

    private static final String UNDEFINED_COLUMN = "42703";

    /**
     * Create the store for a qualified table name.
     *
     * @param schema the schema holding the tables
     * @param table the history table name
     */
    public PostgresDataHistory(String schema, String table) {
        this.table = Connections.quoteIdentifier(schema) + "." + Connections.quoteIdentifier(table);
        this.progressTable =
                Connections.quoteIdentifier(schema) + "." + Connections.quoteIdentifier(table + PROGRESS_SUFFIX);
    }

    public String table() {
        return this.table;
    }

    /** Create both tables if they are missing. Runs under the cluster lock. */
    public void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + this.table + " ("
                    + "installed_rank integer PRIMARY KEY, "
                    + "version varchar(50), "
                    + "description varchar(200) NOT NULL, "
                    + "type varchar(20) NOT NULL, "
                    + "script varchar(1000) NOT NULL, "
                    + "checksum integer, "
                    + "installed_by varchar(100) NOT NULL DEFAULT current_user, "
                    + "installed_on timestamp NOT NULL DEFAULT now(), "
                    + "execution_time_ms integer NOT NULL, "
                    + "rows_affected bigint, "
                    + "success boolean NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS " + this.progressTable + " ("
                    + "version varchar(50) NOT NULL, "
                    + "name varchar(200) NOT NULL, "
                    + "last_key text NOT NULL, "
                    + "rows_done bigint NOT NULL, "
                    + "batches bigint NOT NULL, "
                    + "updated_on timestamp NOT NULL DEFAULT now(), "
                    + "batch_size integer, "
                    + "PRIMARY KEY (version, name))");
            // Tables made before backfills were sized to time have no batch_size yet.
            statement.execute("ALTER TABLE " + this.progressTable + " ADD COLUMN IF NOT EXISTS batch_size integer");
        }
    }

    /**
     * Return the history rows in the order they were applied; empty when the table does not exist.
     * Needs an autocommit connection: a missing table is detected by the failed query.
     */
    public List<DataHistoryRow> rows(Connection connection) throws SQLException {
        List<DataHistoryRow> rows = new ArrayList<>();
        // One round trip on the common path: a missing table is the rare case, told by its SQL state.
        try (Statement statement = connection.createStatement();
                ResultSet rs = executeQuery(
                        statement,
                        "SELECT installed_rank, version, description, type, script, checksum, installed_by,"
                                + " installed_on, execution_time_ms, rows_affected, success FROM " + this.table
                                + " ORDER BY installed_rank")) {
            if (rs == null) {
                return List.of();
            }
            while (rs.next()) {
                rows.add(new DataHistoryRow(
                        rs.getInt(1),
                        Optional.ofNullable(rs.getString(2)),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        Optional.ofNullable((Integer) rs.getObject(6)),
                        rs.getString(7),
                        rs.getTimestamp(8).toInstant(),
                        rs.getInt(9),
                        Optional.ofNullable((Long) rs.getObject(10)),
                        rs.getBoolean(11)));
            }
        }
        return rows;
    }

    /** Run a query on the table, or return {@code null} when the table does not exist (autocommit only). */
    private static @Nullable ResultSet executeQuery(Statement statement, String sql) throws SQLException {
        try {
            return statement.executeQuery(sql);
        } catch (SQLException ex) {
            if ("42P01".equals(ex.getSQLState())) {
                return null;
            }
            throw ex;
        }
    }

    /** Add a history row, ranked after every existing one. */
    public void insert(
            Connection connection,
            @Nullable String version,
            String description,
            String type,
            String script,
            @Nullable Integer checksum,
            int executionTimeMs,
            @Nullable Long rowsAffected,
            boolean success)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + this.table
                + " (installed_rank, version, description, type, script, checksum, execution_time_ms,"
                + " rows_affected, success) SELECT coalesce(max(installed_rank), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ? FROM "
                + this.table)) {
            statement.setString(1, version);
            statement.setString(2, description);
            statement.setString(3, type);
            statement.setString(4, script);
            statement.setObject(5, checksum, Types.INTEGER);
            statement.setInt(6, executionTimeMs);
            statement.setObject(7, rowsAffected, Types.BIGINT);
            statement.setBoolean(8, success);
            statement.executeUpdate();
        }
    }

    /** Remove history rows by rank: an undone migration, or a repeatable one that must run again. */
    public void delete(Connection connection, List<Integer> installedRanks) throws SQLException {
        if (installedRanks.isEmpty()) {
            return;
        }
        try (PreparedStatement statement =
                connection.prepareStatement("DELETE FROM " + this.table + " WHERE installed_rank = ANY (?)")) {
            statement.setArray(1, connection.createArrayOf("integer", installedRanks.toArray()));
            statement.executeUpdate();
        }
    }

    /** Return the progress of a backfill, empty when it has not started. */
    public Optional<Progress> progress(Connection connection, String version, String name) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("SELECT last_key, rows_done, batches, batch_size FROM " + this.progressTable
                        + " WHERE version = ? AND name = ?")) {
            statement.setString(1, version);
            statement.setString(2, name);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Progress(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getInt(4)))
                        : Optional.empty();
            }
        }
    }

    /** Record the progress of a backfill; called in the transaction of the range it reports. */
    public void saveProgress(Connection connection, String version, String name, Progress progress)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + this.progressTable
                + " (version, name, last_key, rows_done, batches, batch_size) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (version, name) DO UPDATE SET last_key = excluded.last_key,"
                + " rows_done = excluded.rows_done, batches = excluded.batches, batch_size = excluded.batch_size,"
                + " updated_on = now()")) {
            statement.setString(1, version);
            statement.setString(2, name);
            statement.setString(3, progress.lastKey());
            statement.setLong(4, progress.rowsDone());
            statement.setLong(5, progress.batches());
            statement.setInt(6, progress.batchSize());
            statement.executeUpdate();
        }
    }

    public String progressTable() {
        return this.progressTable;
    }

    /**
     * Return every backfill with progress recorded, oldest first; empty when the table does not
     * exist. Needs an autocommit connection: a missing table is told by the failed query.
     */
    public List<BackfillProgress> backfills(Connection connection) throws SQLException {
        List<BackfillProgress> backfills = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT version, name, rows_done, batches,"
                        + " coalesce(batch_size, 0), updated_on FROM " + this.progressTable
                        + " ORDER BY updated_on, version, name")) {
            while (rs.next()) {
                backfills.add(new BackfillProgress(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getLong(3),
                        rs.getLong(4),
                        rs.getInt(5),
                        rs.getTimestamp(6).toInstant()));
            }
        } catch (SQLException ex) {
            if (UNDEFINED_TABLE.equals(ex.getSQLState()) || UNDEFINED_COLUMN.equals(ex.getSQLState())) {
                return List.of();
            }
            throw ex;
        }
        return backfills;
    }

    /** Forget the progress of a migration's backfills once it is recorded as applied. */
    public void clearProgress(Connection connection, String version) throws SQLException {
        try (PreparedStatement statement =
                connection.prepareStatement("DELETE FROM " + this.progressTable + " WHERE version = ?")) {
            statement.setString(1, version);
            statement.executeUpdate();
        }
    }

    /**
     * How far a backfill got: the last key done (as text), rows and ranges so far, and the rows of the
     * last range (0 when not recorded).
     */
    public record Progress(String lastKey, long rowsDone, long batches, int batchSize) {}
}
