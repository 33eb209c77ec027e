package dev.migrator.acceptance;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The number of rows in each table of one schema, so that two databases filled in different ways can be compared table
 * by table and a difference names the table. The history tables of Flyway and of migrator's data track are left out,
 * as in {@link SchemaSnapshot}: only a migration tool fills them.
 */
public final class RowCounts {

    /** Partitions are counted through their parent, as {@code SELECT count(*)} on the parent includes them. */
    private static final String TABLES = """
            SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relname
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition
              AND c.relname NOT IN ('flyway_schema_history', 'migrator_data_history', 'migrator_data_history_progress', 'migrator_data_history_lock')
              AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                              AND d.deptype = 'e')
            ORDER BY c.relname
            """;

    private RowCounts() {}

    /**
     * Counts the rows of every table in the given schema.
     *
     * @param dataSource the database
     * @param schema the schema name, unquoted, for example {@code public}
     * @return the row count of each table by table name, in name order
     */
    public static Map<String, Long> of(DataSource dataSource, String schema) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        List<Map.Entry<String, String>> tables =
                jdbc.query(TABLES, (rs, row) -> Map.entry(rs.getString(2), rs.getString(1)), schema);
        Map<String, Long> counts = new TreeMap<>();
        for (Map.Entry<String, String> table : tables) {
            counts.put(table.getKey(), jdbc.queryForObject("SELECT count(*) FROM " + table.getValue(), Long.class));
        }
        return counts;
    }
}
