package dev.migrator.test.autoconfigure.example;

import dev.migrator.core.data.BaseDataMigration;
import dev.migrator.core.data.DataMigrationContext;
import java.sql.Statement;
import org.springframework.stereotype.Component;

/** Fills {@code customer.email_domain}, which schema migration V2 added, in lower case. */
@Component
class D2__BackfillEmailDomain extends BaseDataMigration {

    @Override
    public void migrate(DataMigrationContext context) throws Exception {
        try (Statement statement = context.connection().createStatement()) {
            statement.executeUpdate("UPDATE customer SET email_domain = lower(split_part(email, '@', 2))"
                    + " WHERE email_domain IS NULL");
        }
    }
}
