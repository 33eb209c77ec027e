package dev.migrator.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The packaged service killed with SIGKILL in the middle of its data track's long backfill (D3) and started again:
 * the dead instance's cluster lock went with its session, so the new one takes it at once, resumes the backfill
 * after the last committed batch and finishes it; no row is seeded or filled twice.
 */
class BackfillKillEndToEndTests {

    /** Enough customers for a backfill of 300 batches, some seconds long, to be killed in the middle of. */
    private static final int SEED = 300_000;

    private static final int BATCHES = SEED / 1000;

    /** Far enough in to have committed batches, far from the end. */
    private static final int KILL_AFTER_BATCHES = 30;

    private static final Duration STARTUP = Duration.ofSeconds(120);

    private static final String SEED_ARGUMENT = "--demo.seed.customers=" + SEED;

    @RegisterExtension
    final DemoProcesses processes = new DemoProcesses();

    @Test
    void instanceKilledDuringABackfillLeavesTheLockFreeAndTheRestartFinishesItWithoutDuplicates() throws Exception {
        JdbcClient jdbc = this.processes.jdbc();
        // Batches of a fixed 1,000 rows for the instance to kill: sized to time, the backfill would take
        // a few dozen large batches, and the kill point would move with the machine's speed.
        DemoProcess first = this.processes.start("first", SEED_ARGUMENT, "--migrator.data.batch-time=0");
        awaitBackfillBatches(jdbc, first, KILL_AFTER_BATCHES);
        // Killed while holding the lock, or the restart's quick start would prove nothing.
        assertThat(advisoryLocks(jdbc))
                .as("cluster lock held by the first instance")
                .isPositive();

        assertThat(first.kill()).as("exit status of the first instance").isEqualTo(DemoProcess.KILLED);

        awaitNoAdvisoryLock(jdbc, Duration.ofSeconds(2));
        long batchesDone = jdbc.sql("SELECT batches FROM migrator_data_history_progress WHERE version = '3'")
                .query(Long.class)
                .single();
        assertThat(batchesDone).isBetween((long) KILL_AFTER_BATCHES, BATCHES - 1L);
        assertThat(jdbc.sql("SELECT version FROM migrator_data_history WHERE success ORDER BY installed_rank")
                        .query(String.class)
                        .list())
                .as("data migrations done before the kill")
                .containsExactly("1", "2");
        assertThat(customers(jdbc, "true"))
                .as("customers after the kill: D2 committed them in one transaction")
                .isEqualTo(SEED);

        DemoProcess second = this.processes.start("second", SEED_ARGUMENT).awaitStarted(STARTUP);

        assertThat(second.stdout())
                .doesNotContain("Waiting for the migration lock")
                .contains("Resuming backfill of customer after key '")
                .contains("Backfill of customer done: ");
        Http.Response health = Http.get(second.uri("/actuator/health"));
        assertThat(health.status()).as("health status code").isEqualTo(200);
        assertThat(health.<String>read("$.components.migrations.status")).isEqualTo("UP");
        assertThat(customers(jdbc, "true")).as("customers").isEqualTo(SEED);
        assertThat(customers(jdbc, "email_domain IS NULL"))
                .as("customers without email_domain")
                .isZero();
        assertThat(jdbc.sql("SELECT count(DISTINCT email) FROM customer")
                        .query(Long.class)
                        .single())
                .isEqualTo(SEED);
        assertThat(jdbc.sql("SELECT version, success, rows_affected FROM migrator_data_history ORDER BY installed_rank")
                        .query((rs, row) -> tuple(rs.getString(1), rs.getBoolean(2), rs.getObject(3, Long.class)))
                        .list())
                .as("data history: each migration once; D3's rows summed over both runs")
                .containsExactly(
                        tuple("1", true, 3L),
                        tuple("2", true, null),
                        tuple("3", true, (long) SEED),
                        tuple(null, true, 3L));
        assertThat(jdbc.sql("SELECT count(*) FROM migrator_data_history_progress")
                        .query(Long.class)
                        .single())
                .as("backfill progress left behind")
                .isZero();
    }

    private static void awaitBackfillBatches(JdbcClient jdbc, DemoProcess process, int batches) {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                fail("The first instance ended before " + batches + " batches of the backfill were done");
            }
            // The data track creates both tables when it starts; the progress row goes when the backfill is done.
            if (exists(jdbc, "migrator_data_history_progress")) {
                long done = jdbc.sql("SELECT coalesce(max(batches), 0) FROM migrator_data_history_progress"
                                + " WHERE version = '3'")
                        .query(Long.class)
                        .single();
                if (done >= batches) {
                    return;
                }
                if (jdbc.sql("SELECT count(*) FROM migrator_data_history WHERE version = '3'")
                                .query(Long.class)
                                .single()
                        > 0) {
                    fail("The backfill was done before the test saw " + batches + " batches of it");
                }
            }
            DemoProcesses.sleep(20);
        }
        fail("The first instance did not reach " + batches + " batches of the backfill within " + STARTUP.toSeconds()
                + " s");
    }

    private static boolean exists(JdbcClient jdbc, String table) {
        return jdbc.sql("SELECT to_regclass(?) IS NOT NULL")
                .param(table)
                .query(Boolean.class)
                .single();
    }

    /** Wait briefly for PostgreSQL to end the killed instance's sessions: their socket closed with the process. */
    private static void awaitNoAdvisoryLock(JdbcClient jdbc, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (advisoryLocks(jdbc) > 0) {
            if (System.nanoTime() - deadline >= 0) {
                fail("The killed instance's cluster lock is still held " + timeout.toMillis() + " ms after the kill");
            }
            DemoProcesses.sleep(10);
        }
    }

    private static long advisoryLocks(JdbcClient jdbc) {
        return jdbc.sql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
                .query(Long.class)
                .single();
    }

    private static long customers(JdbcClient jdbc, String condition) {
        return jdbc.sql("SELECT count(*) FROM customer WHERE " + condition)
                .query(Long.class)
                .single();
    }
}
