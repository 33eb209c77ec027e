package dev.migrator.core.data;

import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * A backfill that counts each row of {@code item} it visits, in small slow batches, so that runs
 * started at once overlap: the concurrency tests of core and starter use it to prove that every row
 * is processed exactly once.
 */
public class D2__CountEachItemOnce extends BaseDataMigration {

    @Override
    public boolean transactional() {
        return false;
    }

    @Override
    public void migrate(DataMigrationContext context) {
        context.backfill("item")
                .batchSize(5)
                .batchTime(java.time.Duration.ZERO)
                .forEachRange((connection, first, last) -> {
                    try (PreparedStatement update = connection.prepareStatement(
                                    "UPDATE item SET counter = counter + 1 WHERE id BETWEEN ? AND ?");
                            Statement pause = connection.createStatement()) {
                        update.setObject(1, first);
                        update.setObject(2, last);
                        long rows = update.executeUpdate();
                        pause.execute("SELECT pg_sleep(0.05)");
                        return rows;
                    }
                });
    }
}
