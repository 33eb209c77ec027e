package dev.migrator.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Plain JDBC for preparing and checking benchmark databases, on a connection of its own each time. */
final class Jdbc {

    private Jdbc() {}

    /** Run statements one after the other, each in autocommit (so {@code VACUUM} and the like work). */
    static void execute(DataSource dataSource, String... statements) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** Run a query that returns one row and return its first column as text. */
    static String queryString(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("No row from '" + sql + "'");
            }
            return String.valueOf(rs.getString(1));
        }
    }

    /** Run a query that returns one row and return its first column as a number. */
    static long queryLong(DataSource dataSource, String sql) throws SQLException {
        return Long.parseLong(queryString(dataSource, sql));
    }
}
