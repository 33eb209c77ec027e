package dev.migrator.core.internal.check;

import dev.migrator.core.check.CheckResult;
import dev.migrator.core.check.MigrationCheck;
import dev.migrator.core.internal.resource.ResourceScanner;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A check written as a SQL query that returns the rows violating it: no rows means it passes. The
 * first few offending rows are shown in the result.
 */
public final class SqlCheck implements MigrationCheck {

    private static final int SHOWN_ROWS = 3;

    private final String name;

    private final String query;

    SqlCheck(String name, String query) {
        this.name = name;
        this.query = query;
    }

    /** Load the checks in the given locations, one per {@code .sql} file, named after the file. */
    public static List<MigrationCheck> load(ResourceScanner scanner, List<String> locations) {
        List<MigrationCheck> checks = new ArrayList<>();
        for (ResourceScanner.Resource resource : scanner.scan(locations, ".sql")) {
            String fileName = resource.fileName();
            checks.add(new SqlCheck(fileName.substring(0, fileName.length() - ".sql".length()), resource.read()));
        }
        return checks;
    }

    @Override
    public String name() {
        return this.name;
    }

    @Override
    public CheckResult run(Connection connection) throws Exception {
        List<Map<String, Object>> shown = new ArrayList<>();
        long count = 0;
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(this.query)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                if (count++ < SHOWN_ROWS) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnLabel(i), rs.getObject(i));
                    }
                    shown.add(row);
                }
            }
        }
        if (count == 0) {
            return CheckResult.passed(this.name, "no violating rows");
        }
        return CheckResult.failed(this.name, count + " violating row" + (count == 1 ? "" : "s") + ", first: " + shown);
    }
}
