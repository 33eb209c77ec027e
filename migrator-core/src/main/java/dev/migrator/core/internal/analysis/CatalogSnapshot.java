package dev.migrator.core.internal.analysis;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the analysis compares before and after a migration, read in one round trip on the
 * migration's own connection (inside its transaction, so it sees its uncommitted work): the user
 * tables with their storage file and size, their columns, constraints and indexes, the relation
 * locks the session holds, and the rows its transaction changed per table.
 */
record CatalogSnapshot(
        Map<Long, Table> tables,
        Map<String, Column> columns,
        Map<Long, Constraint> constraints,
        Map<Long, Index> indexes,
        Map<Long, Set<String>> locks,
        Map<Long, Long> rowsChanged,
        Map<Long, Long> rowsInserted) {

    record Table(long oid, String name, String kind, String filenode, long rows) {}

    record Column(long table, int number, String name, String type, boolean notNull, boolean hasDefault) {}

    record Constraint(
            long oid, long table, String name, String type, boolean validated, long references, List<Integer> keys) {}

    record Index(long oid, long table, String name, List<Integer> keys) {}

    private static final String USER_SCHEMA = " n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' ";

    private static final String QUERY =
            "SELECT 'r', c.oid::bigint, 0::bigint, quote_ident(n.nspname) || '.' || quote_ident(c.relname),"
                    + " c.relkind::text, c.relfilenode::text, greatest(c.reltuples::bigint, coalesce(s.n_live_tup, 0)), NULL::text"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relkind IN ('r', 'p', 'm') AND"
                    + USER_SCHEMA
                    + " UNION ALL SELECT 'a', a.attrelid::bigint, a.attnum::bigint, a.attname::text, format_type(a.atttypid, a.atttypmod),"
                    + " a.attnotnull::text, (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '')::int, NULL"
                    + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND" + USER_SCHEMA
                    + " UNION ALL SELECT 'c', o.oid::bigint, o.conrelid::bigint, o.conname::text, o.contype::text, o.convalidated::text,"
                    + " o.confrelid::bigint, array_to_string(o.conkey, ',')"
                    + " FROM pg_constraint o JOIN pg_namespace n ON n.oid = o.connamespace WHERE o.conrelid <> 0 AND"
                    + USER_SCHEMA
                    + " UNION ALL SELECT 'x', i.indexrelid::bigint, i.indrelid::bigint, c.relname::text, NULL, NULL, 0,"
                    + " array_to_string(i.indkey::int2[], ',')"
                    + " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE" + USER_SCHEMA
                    + " UNION ALL SELECT 'l', l.relation::bigint, 0, l.mode, NULL, NULL, 0, NULL FROM pg_locks l"
                    + " WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted"
                    + " UNION ALL SELECT 's', x.relid::bigint, x.n_tup_ins, NULL, NULL, NULL, x.n_tup_upd + x.n_tup_del, NULL"
                    + " FROM pg_stat_xact_user_tables x WHERE x.n_tup_ins + x.n_tup_upd + x.n_tup_del > 0";

    static CatalogSnapshot take(Connection connection) throws SQLException {
        Map<Long, Table> tables = new HashMap<>();
        Map<String, Column> columns = new HashMap<>();
        Map<Long, Constraint> constraints = new HashMap<>();
        Map<Long, Index> indexes = new HashMap<>();
        Map<Long, Set<String>> locks = new HashMap<>();
        Map<Long, Long> rowsChanged = new HashMap<>();
        Map<Long, Long> rowsInserted = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(QUERY)) {
            while (rs.next()) {
                long oid = rs.getLong(2);
                long sub = rs.getLong(3);
                switch (rs.getString(1)) {
                    case "r" ->
                        tables.put(
                                oid, new Table(oid, rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7)));
                    case "a" ->
                        columns.put(
                                key(oid, (int) sub),
                                new Column(
                                        oid,
                                        (int) sub,
                                        rs.getString(4),
                                        rs.getString(5),
                                        "true".equals(rs.getString(6)),
                                        rs.getLong(7) == 1));
                    case "c" ->
                        constraints.put(
                                oid,
                                new Constraint(
                                        oid,
                                        sub,
                                        rs.getString(4),
                                        rs.getString(5),
                                        "true".equals(rs.getString(6)),
                                        rs.getLong(7),
                                        keys(rs.getString(8))));
                    case "x" -> indexes.put(oid, new Index(oid, sub, rs.getString(4), keys(rs.getString(8))));
                    case "l" -> locks.computeIfAbsent(oid, k -> new HashSet<>()).add(rs.getString(4));
                    case "s" -> {
                        rowsChanged.put(oid, rs.getLong(7));
                        rowsInserted.put(oid, sub);
                    }
                    default -> throw new IllegalStateException("Unknown row kind");
                }
            }
        }
        return new CatalogSnapshot(tables, columns, constraints, indexes, locks, rowsChanged, rowsInserted);
    }

    static String key(long table, int column) {
        return table + ":" + column;
    }

    private static List<Integer> keys(@org.jspecify.annotations.Nullable String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(Integer::valueOf).toList();
    }
}
