package dev.migrator.core.data.crash;

import dev.migrator.core.Migrator;
import dev.migrator.core.MigratorException;
import dev.migrator.core.RunReport;
import dev.migrator.core.data.BackfillResult;
import dev.migrator.core.data.BaseDataMigration;
import dev.migrator.core.data.DataMigrationContext;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The main class of the child JVM that {@link BackfillCrashIntegrationTests} starts, and kills: one migrator run with a
 * slow batched backfill over {@code item}. Arguments: JDBC URL, user name, the {@code application_name} of its
 * sessions and the batch time in milliseconds (0 for batches of 1,000 rows); the password comes from the environment variable {@value #PASSWORD_VARIABLE}, so that it stays out of
 * the process list.
 *
 * <p>It prints {@code child:} lines that the test reads, and exits with 0 when the run succeeded, 1 when it failed.
 */
final class BackfillCrashChild {

    static final String PASSWORD_VARIABLE = "BACKFILL_CRASH_PASSWORD";

    static final String SCHEMA_LOCATION = "classpath:backfill-crash";

    static final int BATCH_SIZE = 1000;

    /**
     * Short: a stale lock left by the killed run would make the second run fail instead of wait, and it is far above
     * the few milliseconds a free lock takes.
     */
    static final Duration LOCK_WAIT_TIMEOUT = Duration.ofSeconds(5);

    private BackfillCrashChild() {}

    public static void main(String[] args) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(args[0]);
        dataSource.setUser(args[1]);
        dataSource.setPassword(Objects.requireNonNullElse(System.getenv(PASSWORD_VARIABLE), ""));
        // On every session, not only the lock's: the test waits for all of them to end after the kill.
        dataSource.setApplicationName(args[2]);
        D1__TouchEveryItem backfill = new D1__TouchEveryItem(Duration.ofMillis(Long.parseLong(args[3])));
        Migrator migrator = Migrator.configure(dataSource)
                .schemaLocations(SCHEMA_LOCATION)
                // Only the Java migration: SQL data files that other tests put on the classpath must not join in.
                .dataLocations(List.of())
                .dataMigrations(List.of(backfill))
                .lockWaitTimeout(LOCK_WAIT_TIMEOUT)
                .applicationName(args[2])
                .load();
        backfill.runStarted = System.nanoTime();
        try {
            RunReport report = migrator.migrate();
            System.out.println("child: run succeeded, " + report.dataApplied().size() + " data migration(s) applied");
            System.exit(0);
        } catch (MigratorException ex) {
            System.out.println("child: run failed: " + ex.getMessage());
            ex.printStackTrace(System.out);
            System.exit(1);
        }
    }

    /**
     * Adds one to {@code touched} of every row, so that a row processed twice shows 2 and one never processed shows 0.
     * Each range sleeps after its update, inside its transaction: a kill then most likely lands on a range whose rows
     * are updated but not committed, the case where a wrong resume would repeat or skip rows.
     */
    static final class D1__TouchEveryItem extends BaseDataMigration {

        volatile long runStarted;

        private final Duration batchTime;

        D1__TouchEveryItem(Duration batchTime) {
            this.batchTime = batchTime;
        }

        @Override
        public boolean transactional() {
            return false;
        }

        @Override
        public void migrate(DataMigrationContext context) throws Exception {
            // Everything before this point holds the lock: reaching it fast shows the run did not wait for one.
            System.out.println("child: data migration started "
                    + Duration.ofNanos(System.nanoTime() - this.runStarted).toMillis() + " ms after migrate()");
            BackfillResult result = context.backfill("item")
                    .batchSize(BATCH_SIZE)
                    .batchTime(this.batchTime)
                    .forEachRange((connection, first, last) -> {
                        int rows;
                        try (PreparedStatement update = connection.prepareStatement(
                                "UPDATE item SET touched = touched + 1 WHERE id BETWEEN ? AND ?")) {
                            update.setObject(1, first);
                            update.setObject(2, last);
                            rows = update.executeUpdate();
                        }
                        try (Statement sleep = connection.createStatement()) {
                            sleep.execute("SELECT pg_sleep(0.02)");
                        }
                        return rows;
                    });
            System.out.println("child: backfill done, rows=" + result.rows() + " batches=" + result.batches());
        }
    }
}
