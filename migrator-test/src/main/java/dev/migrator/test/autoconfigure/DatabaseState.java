package dev.migrator.test.autoconfigure;

import dev.migrator.core.DriftReport;
import dev.migrator.core.Migrator;
import dev.migrator.core.internal.catalog.Catalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of a database that an undo must restore, as sorted text lines: the definitions of the
 * user schemas as the core's catalog reader (the one drift uses) reads them, and a hash of the rows of
 * every user table. The history tables of Flyway and migrator are left out: an undo changes them on
 * purpose.
 */
final class DatabaseState {

    private static final String USER_SCHEMA =
            "n.nspname NOT IN ('pg_catalog', 'information_schema')" + " AND n.nspname NOT LIKE 'pg\\_%'";

    private static final String TABLES =
            "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_SCHEMA
                    + " AND c.relkind IN ('r', 'p') AND c.relname <> ALL(?) ORDER BY 1";

    private DatabaseState() {}

    /**
     * Read the state.
     *
     * @param migrator the migrator whose database is read: its schemas, without its own tables
     * @param rows whether to include a hash of each table's rows
     * @return the lines, sorted
     */
    static List<String> of(Migrator migrator, boolean rows) {
        Catalog.Scope scope = Catalog.Scope.of(migrator.settings());
        List<String> lines = new ArrayList<>();
        try (Connection connection = migrator.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            for (Catalog.Entry entry : Catalog.read(connection, scope)) {
                lines.add(line(entry));
            }
            if (rows) {
                List<String> tables = new ArrayList<>();
                try (PreparedStatement query = connection.prepareStatement(TABLES)) {
                    query.setArray(
                            1,
                            connection.createArrayOf(
                                    "text", scope.excludedTables().toArray()));
                    try (ResultSet rs = query.executeQuery()) {
                        while (rs.next()) {
                            tables.add(rs.getString(1));
                        }
                    }
                }
                for (String table : tables) {
                    try (ResultSet rs = statement.executeQuery("SELECT count(*), md5(coalesce(string_agg(t::text, ','"
                            + " ORDER BY t::text), '')) FROM " + table + " t")) {
                        rs.next();
                        lines.add("rows " + table + " " + rs.getLong(1) + " " + rs.getString(2));
                    }
                }
            }
        } catch (SQLException ex) {
            throw new IllegalStateException("Could not read the database's catalog: " + ex.getMessage(), ex);
        }
        lines.sort(null);
        return lines;
    }

    /** One line per object; an index's line is its definition, which names it. */
    private static String line(Catalog.Entry entry) {
        String definition = entry.definition().replaceAll("\\s*\\n\\s*", " ");
        return (entry.kind() == DriftReport.Kind.INDEX)
                ? "index " + definition
                : entry.kind().label() + " " + entry.name() + " " + definition;
    }

    /** Describe how two states differ, a line per difference. */
    static String difference(List<String> expected, List<String> actual) {
        List<String> lines = new ArrayList<>();
        for (String line : expected) {
            if (!actual.contains(line)) {
                lines.add("  - " + line);
            }
        }
        for (String line : actual) {
            if (!expected.contains(line)) {
                lines.add("  + " + line);
            }
        }
        return String.join("\n", lines);
    }
}
