package dev.migrator.test.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The state of a database that an undo must restore, as sorted text lines: the definitions of the
 * user schemas (tables, columns, constraints, indexes, views, sequences, functions, types) and a hash
 * of the rows of every user table. The history tables of Flyway and migrator are left out: an undo
 * changes them on purpose.
 */
final class DatabaseState {

    private static final String USER_SCHEMA =
            "n.nspname NOT IN ('pg_catalog', 'information_schema')" + " AND n.nspname NOT LIKE 'pg\\_%'";

    private static final String NOT_HISTORY =
            "c.relname NOT LIKE 'flyway\\_schema\\_history%'" + " AND c.relname NOT LIKE 'migrator\\_data\\_history%'";

    private static final List<String> QUERIES = List.of(
            "SELECT 'relation ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_SCHEMA
                    + " AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND " + NOT_HISTORY,
            "SELECT 'column ' || n.nspname || '.' || c.relname || '.' || a.attname || ' '"
                    + " || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END"
                    + " || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')"
                    + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                    + " WHERE " + USER_SCHEMA + " AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0"
                    + " AND NOT a.attisdropped AND " + NOT_HISTORY,
            "SELECT 'constraint ' || n.nspname || '.' || c.relname || '.' || o.conname || ' '"
                    + " || pg_get_constraintdef(o.oid, true) FROM pg_constraint o JOIN pg_class c ON c.oid = o.conrelid"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_SCHEMA + " AND " + NOT_HISTORY,
            "SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
                    + " AND tablename NOT LIKE 'flyway\\_schema\\_history%' AND tablename NOT LIKE 'migrator\\_data\\_history%'",
            "SELECT 'view ' || schemaname || '.' || viewname || ' ' || definition FROM pg_views"
                    + " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
            "SELECT 'materialized view ' || schemaname || '.' || matviewname || ' ' || definition FROM pg_matviews",
            "SELECT 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid)"
                    + " || ') ' || md5(pg_get_functiondef(p.oid)) FROM pg_proc p JOIN pg_namespace n"
                    + " ON n.oid = p.pronamespace WHERE " + USER_SCHEMA + " AND p.prokind IN ('f', 'p')",
            "SELECT 'type ' || n.nspname || '.' || t.typname || ' ' || t.typtype::text || coalesce(' ' || (SELECT"
                    + " string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid),"
                    + " '') FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE " + USER_SCHEMA
                    + " AND t.typtype IN ('e', 'd') ",
            "SELECT 'trigger ' || c.relname || '.' || t.tgname || ' ' || pg_get_triggerdef(t.oid) FROM pg_trigger t"
                    + " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE "
                    + USER_SCHEMA + " AND NOT t.tgisinternal");

    private static final String TABLES =
            "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_SCHEMA
                    + " AND c.relkind IN ('r', 'p')"
                    + " AND " + NOT_HISTORY + " ORDER BY 1";

    private DatabaseState() {}

    /**
     * Read the state.
     *
     * @param dataSource the database
     * @param rows whether to include a hash of each table's rows
     * @return the lines, sorted
     */
    static List<String> of(DataSource dataSource, boolean rows) {
        List<String> lines = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            for (String query : QUERIES) {
                try (ResultSet rs = statement.executeQuery(query)) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
            }
            if (rows) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery(TABLES)) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
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
