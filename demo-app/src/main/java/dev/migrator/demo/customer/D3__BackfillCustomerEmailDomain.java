package dev.migrator.demo.customer;

import dev.migrator.core.data.BaseDataMigration;
import dev.migrator.core.data.DataMigrationContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Fills {@code customer.email_domain}, added empty by schema migration V6, for the customers that existed before it.
 *
 * <p>The domain comes from {@link EmailDomains}, the application bean that also sets it for new customers: a data
 * migration runs after every singleton exists, so it may inject one, and the rule (punycode included, which SQL
 * cannot do) lives in one place. The table is walked in ranges of ids, each read, converted and written in its own
 * short transaction, so row locks are held briefly and a restarted application resumes after the last range done.
 */
@Component
class D3__BackfillCustomerEmailDomain extends BaseDataMigration {

    private static final String SELECT =
            "SELECT id, email FROM customer WHERE id BETWEEN ? AND ? AND email_domain IS NULL";

    private static final String UPDATE = "UPDATE customer AS c SET email_domain = v.domain"
            + " FROM unnest(CAST(? AS bigint[]), CAST(? AS text[])) AS v (id, domain) WHERE c.id = v.id";

    private final EmailDomains emailDomains;

    D3__BackfillCustomerEmailDomain(EmailDomains emailDomains) {
        this.emailDomains = emailDomains;
    }

    /** Not one transaction: the backfill commits range by range. */
    @Override
    public boolean transactional() {
        return false;
    }

    @Override
    public void migrate(DataMigrationContext context) {
        context.logger()
                .info(
                        "Deriving customer.email_domain from customer.email (schema version {})",
                        context.schemaVersion().orElse("none"));
        context.backfill("customer").forEachRange(this::fillRange);
    }

    /**
     * Empties the column again. One statement: the column is derived and nullable, and nothing reads it while the
     * undo runs; a resumable undo would need a backfill of its own.
     */
    @Override
    public void undo(DataMigrationContext context) throws SQLException {
        try (Statement clear = context.connection().createStatement()) {
            clear.executeUpdate("UPDATE customer SET email_domain = NULL WHERE email_domain IS NOT NULL");
        }
    }

    private long fillRange(Connection connection, Object firstId, Object lastId) throws SQLException {
        List<Long> ids = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setObject(1, firstId);
            select.setObject(2, lastId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                    domains.add(this.emailDomains.of(rows.getString(2)));
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        // One statement per range instead of one per row.
        try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
            update.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
            update.setArray(2, connection.createArrayOf("text", domains.toArray()));
            return update.executeUpdate();
        }
    }
}
