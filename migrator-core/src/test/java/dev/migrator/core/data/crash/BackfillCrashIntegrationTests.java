package dev.migrator.core.data.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.migrator.core.Migrator;
import dev.migrator.core.lock.LockHolder;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A non-transactional data migration with a batched backfill, killed with SIGKILL half-way in a child JVM, must be
 * finished by the next run: each range commits together with its progress row, so what the dead run left is exactly
 * what its progress says, the next run resumes after it, and every row is processed once. The killed run's session
 * lock dies with its connections, so the next run must not wait for it.
 *
 * <p>A child JVM, because only a process that dies without running any more code (no finally block, no shutdown hook,
 * no rollback sent by the driver) shows what the database alone guarantees.
 */
class BackfillCrashIntegrationTests {

    private static final int ROWS = 200_000;

    private static final int BATCHES = ROWS / BackfillCrashChild.BATCH_SIZE;

    /** Far enough in to have committed ranges, far from the end; the walk takes a few seconds in all. */
    private static final int KILL_AFTER_BATCHES = 10;

    /** Each child starts a JVM and walks at most 200 ranges of about 25 ms; both together stay well under a minute. */
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(25);

    private static final Pattern STARTED_AFTER = Pattern.compile("child: data migration started (\\d+) ms after");

    /** Unique per test, so that sessions of other tests on a shared server never count as this test's children. */
    private final String applicationName =
            "backfill-crash-" + UUID.randomUUID().toString().substring(0, 8);

    @RegisterExtension
    final ChildLogs logs = new ChildLogs();

    private final List<Process> children = new ArrayList<>();

    private FreshDatabase database;

    private JdbcTemplate jdbc;

    @BeforeEach
    void createDatabase() {
        this.database = TestPostgres.server().createDatabase();
        this.jdbc = new JdbcTemplate(this.database.dataSource());
    }

    @AfterEach
    void stopChildrenAndDropDatabase() throws InterruptedException {
        for (Process child : this.children) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        this.database.close();
    }

    @Test
    void backfillKilledHalfWayIsFinishedByTheNextRunProcessingEveryRowExactlyOnce() throws Exception {
        killHalfWayAndResume(Duration.ZERO, KILL_AFTER_BATCHES);
    }

    /**
     * The same with batches sized to time (the default): 1,000 rows first, then as many as 60 ms fit
     * (about 13,000 here), so the walk is a few large batches, and the kill lands on one of them.
     */
    @Test
    void backfillSizedToTimeKilledHalfWayIsFinishedByTheNextRunProcessingEveryRowExactlyOnce() throws Exception {
        killHalfWayAndResume(Duration.ofMillis(60), 4);
    }

    private void killHalfWayAndResume(Duration batchTime, int killAfterBatches) throws Exception {
        boolean fixed = batchTime.isZero();
        Process first = startChild("first", batchTime);
        awaitBatches(first, killAfterBatches);
        // The killed run must hold the lock when it dies, or the next run's quick start would prove nothing.
        assertThat(Migrator.configure(this.database.dataSource()).load().lockHolder())
                .map(LockHolder::applicationName)
                .contains(Optional.of(this.applicationName + "-first"));

        first.destroyForcibly();

        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue())
                .as("exit status of a JVM killed by SIGKILL (128 + 9)")
                .isEqualTo(137);
        // A COMMIT sent just before the kill may still land: read what the dead run left only once its sessions end.
        awaitNoSessions(this.applicationName + "-first");
        Map<String, Object> progress = this.jdbc.queryForMap(
                "SELECT last_key, rows_done, batches FROM migrator_data_history_progress WHERE version = '1'");
        long lastKey = Long.parseLong((String) progress.get("last_key"));
        long rowsDone = (Long) progress.get("rows_done");
        long batchesDone = (Long) progress.get("batches");
        assertThat(batchesDone).isGreaterThanOrEqualTo(killAfterBatches);
        assertThat(rowsDone).isLessThan(ROWS);
        if (fixed) {
            assertThat(batchesDone).isLessThan(BATCHES);
        }
        // Committed ranges and recorded progress agree exactly; the range in flight left nothing.
        assertThat(count("touched = 1")).isEqualTo(rowsDone).isEqualTo(lastKey);
        assertThat(count("touched = 1 AND id > " + lastKey)).isZero();
        assertThat(count("touched > 1")).isZero();
        assertThat(count("touched = 0")).isEqualTo(ROWS - rowsDone);
        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM migrator_data_history", Long.class))
                .as("a killed run records neither success nor failure")
                .isZero();

        Process second = startChild("second", batchTime);

        assertThat(second.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .as("second run finished within %s", CHILD_TIMEOUT)
                .isTrue();
        assertThat(second.exitValue()).as("exit status of the second run").isZero();
        String output = this.logs.read("second");
        assertThat(output)
                .doesNotContain("Waiting for the migration lock")
                .contains("Resuming backfill of item after key '" + lastKey + "'")
                .contains("child: backfill done, rows=" + (ROWS - rowsDone) + " batches="
                        + (fixed ? Long.toString(BATCHES - batchesDone) : ""));
        assertThat(startedAfterMillis(output))
                .as("time from migrate() to the data migration, lock included")
                .isLessThan(BackfillCrashChild.LOCK_WAIT_TIMEOUT.toMillis() / 2);
        assertThat(count("touched = 1")).isEqualTo(ROWS);
        assertThat(count("touched <> 1")).isZero();
        assertThat(this.jdbc.queryForList("SELECT version, type, success FROM migrator_data_history"))
                .containsExactly(Map.of("version", "1", "type", "JAVA", "success", true));
        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM migrator_data_history_progress", Long.class))
                .isZero();
        assertThat(this.jdbc.queryForList("SELECT version FROM flyway_schema_history WHERE success", String.class))
                .containsExactly("1");
    }

    private Process startChild(String name, Duration batchTime) throws IOException {
        Path log = this.logs.create(name);
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        // A short-lived JVM: skipping the optimizing compiler shortens its start.
                        "-XX:TieredStopAtLevel=1",
                        BackfillCrashChild.class.getName(),
                        this.database.jdbcUrl(),
                        this.database.username(),
                        this.applicationName + "-" + name,
                        Long.toString(batchTime.toMillis()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put(BackfillCrashChild.PASSWORD_VARIABLE, this.database.password());
        Process child = builder.start();
        this.children.add(child);
        return child;
    }

    private void awaitBatches(Process child, int batches) throws InterruptedException {
        long deadline = System.nanoTime() + CHILD_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!child.isAlive()) {
                fail("The first run ended (exit status " + child.exitValue() + ") before " + batches
                        + " batches were done; it should have been killed half-way");
            }
            // The run creates the progress table when it reaches the data track.
            Long done = Boolean.TRUE.equals(this.jdbc.queryForObject(
                            "SELECT to_regclass('migrator_data_history_progress') IS NOT NULL", Boolean.class))
                    ? this.jdbc.queryForObject("SELECT max(batches) FROM migrator_data_history_progress", Long.class)
                    : null;
            if (done != null && done >= batches) {
                return;
            }
            Thread.sleep(10);
        }
        fail("The first run did not finish " + batches + " batches within " + CHILD_TIMEOUT);
    }

    private void awaitNoSessions(String applicationName) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (this.jdbc.queryForObject(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", Long.class, applicationName)
                > 0) {
            if (System.nanoTime() - deadline >= 0) {
                fail("Sessions of the killed run are still open after 10 s; its lock would be stale");
            }
            Thread.sleep(10);
        }
    }

    private long count(String condition) {
        return this.jdbc.queryForObject("SELECT count(*) FROM item WHERE " + condition, Long.class);
    }

    private static long startedAfterMillis(String output) {
        Matcher matcher = STARTED_AFTER.matcher(output);
        assertThat(matcher.find())
                .as("line 'child: data migration started ...'")
                .isTrue();
        return Long.parseLong(matcher.group(1));
    }

    /** Child output goes to files below {@code target/}, kept for a look after the build and printed on failure. */
    static final class ChildLogs implements TestWatcher {

        private final Path directory = Path.of("target", "backfill-crash");

        private final List<Path> files = new ArrayList<>();

        private String run = "";

        Path create(String name) throws IOException {
            if (this.run.isEmpty()) {
                this.run = Long.toString(System.currentTimeMillis());
            }
            Files.createDirectories(this.directory);
            Path file = this.directory.resolve(this.run + "-" + name + ".log");
            this.files.add(file);
            return file;
        }

        String read(String name) throws IOException {
            return Files.readString(this.directory.resolve(this.run + "-" + name + ".log"));
        }

        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (Path file : this.files) {
                System.out.println("----- child output " + file.toAbsolutePath() + " -----");
                try {
                    System.out.println(Files.readString(file));
                } catch (IOException ex) {
                    System.out.println("(not readable: " + ex.getMessage() + ")");
                }
            }
        }
    }
}
