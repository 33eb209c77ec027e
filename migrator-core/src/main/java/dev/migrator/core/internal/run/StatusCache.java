package dev.migrator.core.internal.run;

import dev.migrator.core.MigrationStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The last status read, kept while the history tables stay as they were.
 *
 * <p>Reading the status resolves every migration (Flyway scans its locations) and reads both
 * histories; a status request asks one small query instead: a stamp of the history tables (each
 * table's row count and the sum of its rows' {@code xmin}, which every insert, update and delete
 * changes). The status is computed again when the stamp differs, so what another instance applied,
 * repaired or recorded as failed shows in the very next read. The migration files themselves are not
 * watched: a classpath location does not change while the application runs, and a filesystem one is
 * read again once the kept status is older than {@link #FILES_READ_AGAIN_AFTER}.
 */
public final class StatusCache {

    /** How long a kept status may be served while the history tables have not changed. */
    public static final Duration FILES_READ_AGAIN_AFTER = Duration.ofSeconds(10);

    private static final String UNDEFINED_TABLE = "42P01";

    private volatile @Nullable Stamp stamp;

    private volatile @Nullable Entry last;

    private record Entry(String stamp, String schemaTarget, String dataTarget, long readAt, MigrationStatus status) {}

    /**
     * The query that stamps the tables that exist, and tells when one of those that did not exists
     * now (the query is then made again).
     */
    private record Stamp(String sql, int missing) {}

    /**
     * Return the kept status for the targets when the history tables are as they were, or compute
     * it and keep it.
     *
     * @param connection a connection to stamp the tables on
     * @param tables the history tables, quoted and qualified
     * @param schemaTarget the schema target of the read
     * @param dataTarget the data target of the read
     * @param compute what reads the status
     * @return the status
     * @throws SQLException when the stamp cannot be read
     */
    public MigrationStatus read(
            Connection connection, List<String> tables, String schemaTarget, String dataTarget, StatusRead compute)
            throws SQLException {
        String stamp = stamp(connection, tables);
        Entry last = this.last;
        long now = System.nanoTime();
        if (stamp != null
                && last != null
                && last.stamp().equals(stamp)
                && last.schemaTarget().equals(schemaTarget)
                && last.dataTarget().equals(dataTarget)
                && now - last.readAt() < FILES_READ_AGAIN_AFTER.toNanos()) {
            return last.status();
        }
        // The stamp is read before the status: a change in between makes the next stamp differ.
        MigrationStatus status = compute.read(connection);
        this.last = (stamp != null) ? new Entry(stamp, schemaTarget, dataTarget, now, status) : null;
        return status;
    }

    /** What reads the status, on the connection the stamp was read on. */
    @FunctionalInterface
    public interface StatusRead {

        MigrationStatus read(Connection connection) throws SQLException;
    }

    /** Return the stamp of the tables, or {@code null} when it cannot tell (a table came or went). */
    private @Nullable String stamp(Connection connection, List<String> tables) throws SQLException {
        Stamp stamp = this.stamp;
        if (stamp == null) {
            stamp = prepare(connection, tables);
            this.stamp = stamp;
        }
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(stamp.sql())) {
            rs.next();
            if (stamp.missing() > 0 && rs.getInt(1) > 0) {
                // A table that did not exist does now: stamp it from the next read on.
                this.stamp = null;
                return null;
            }
            return Objects.toString(rs.getString(2), "");
        } catch (SQLException ex) {
            if (UNDEFINED_TABLE.equals(ex.getSQLState())) {
                // A table that existed is gone.
                this.stamp = null;
                return null;
            }
            throw ex;
        }
    }

    private static Stamp prepare(Connection connection, List<String> tables) throws SQLException {
        List<String> present = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String table : tables) {
            try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                statement.setString(1, table);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    (rs.getBoolean(1) ? present : missing).add(table);
                }
            }
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        if (missing.isEmpty()) {
            sql.append("0");
        } else {
            sql.append("(SELECT count(*) FROM unnest(ARRAY[");
            for (int i = 0; i < missing.size(); i++) {
                sql.append((i > 0) ? ", " : "").append(literal(missing.get(i)));
            }
            sql.append("]) AS t(name) WHERE to_regclass(t.name) IS NOT NULL)");
        }
        sql.append(", concat_ws('|', ''");
        for (String table : present) {
            sql.append(", (SELECT count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) FROM ")
                    .append(table)
                    .append(")");
        }
        sql.append(")");
        return new Stamp(sql.toString(), missing.size());
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
