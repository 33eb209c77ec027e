package dev.migrator.demo.customer;

import dev.migrator.core.data.BaseDataMigration;
import dev.migrator.core.data.DataMigrationContext;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * DEMO DATA, not reference data: inserts {@code demo.seed.customers} made-up customers ({@code
 * demo-customer-<n>@...}) so that the backfill {@link D3__BackfillCustomerEmailDomain} has a table big enough to
 * show its progress. A real service would not ship this migration.
 *
 * <p>Java rather than a {@code D2__*.sql} file only because the row count is a property: the demo run seeds many
 * rows, the tests a few. The addresses mix spellings of the same domains ({@code example.com} and {@code
 * Example.COM}) and an internationalized one, which the backfill puts in canonical form.
 */
@Component
class D2__SeedDemoCustomers extends BaseDataMigration {

    private static final String INSERT = """
            INSERT INTO customer (email, name, created_at)
            SELECT 'demo-customer-' || n || '@'
                       || (ARRAY['example.com', 'Example.COM', 'example.org', 'shop.example.net', 'bücher.example'])[1 + n % 5],
                   'Demo customer ' || n,
                   now() - make_interval(mins => n)
            FROM generate_series(1, ?) AS n""";

    private final int customers;

    D2__SeedDemoCustomers(@Value("${demo.seed.customers}") int customers) {
        if (customers < 0) {
            throw new IllegalArgumentException("Invalid demo.seed.customers '" + customers
                    + "'. Set it to the number of demo customers to create, 0 for none.");
        }
        this.customers = customers;
    }

    @Override
    public void migrate(DataMigrationContext context) throws SQLException {
        try (PreparedStatement insert = context.connection().prepareStatement(INSERT);
                Statement analyze = context.connection().createStatement()) {
            insert.setInt(1, this.customers);
            int rows = insert.executeUpdate();
            // Fresh statistics, for the planner and for the row estimate in the backfill's progress lines.
            analyze.execute("ANALYZE customer");
            context.logger().info("Seeded {} demo customers (demo.seed.customers)", rows);
        }
    }

    /** Removes the demo customers (and, through D3's undo first, nothing else depends on them). */
    @Override
    public void undo(DataMigrationContext context) throws SQLException {
        try (Statement delete = context.connection().createStatement()) {
            int rows = delete.executeUpdate("DELETE FROM customer WHERE email LIKE 'demo-customer-%'");
            context.logger().info("Removed {} demo customers", rows);
        }
    }
}
