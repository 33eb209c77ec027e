package dev.migrator.core.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigrationFailedException;
import dev.migrator.core.Migrator;
import dev.migrator.core.RunReport;
import dev.migrator.core.data.D2__CountEachItemOnce;
import dev.migrator.core.lock.LockHolder;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Four instances start at once while the session holding the migration lock is terminated with
 * {@code pg_terminate_backend} at a random moment: the runs that lost the lock stop with
 * {@link ErrorCode#LOCK_LOST}, nothing is processed twice, and a restart converges. Prints its figure.
 */
class LockSessionFaultTrialsIntegrationTests {

    private static final int INSTANCES = 4;

    @TempDir
    static Path sets;

    private static Path schema;

    private static Path data;

    private static ExecutorService executor;

    @BeforeAll
    static void writeSetsAndStartThreads() throws IOException {
        schema = TrialSets.itemsAndTally(sets, "schema");
        data = TrialSets.tallies(sets, "data", 1, 3, 4, 5);
        // Not the common pool: on a small machine it has one thread, and the instances would run one by one.
        executor = Executors.newFixedThreadPool(INSTANCES);
    }

    @AfterAll
    static void stopThreads() {
        executor.shutdownNow();
    }

    @Test
    void lockSessionTerminatedAtRandomMomentsWhileFourInstancesStart() throws Exception {
        long seed = Long.getLong("migrator.trials.seed", System.nanoTime());
        Random random = new Random(seed);
        int terminated = 0;
        int stopped = 0;
        List<Long> moments = new ArrayList<>();
        for (int trial = 1; trial <= KillFaultTrialsIntegrationTests.TRIALS; trial++) {
            String trialName = "lock session trial " + trial + " (seed " + seed + ")";
            try (FreshDatabase database = TestPostgres.server().createDatabase()) {
                List<Future<RunReport>> runs = new ArrayList<>();
                for (int i = 0; i < INSTANCES; i++) {
                    runs.add(executor.submit(() -> migrator(database).migrate()));
                }
                long moment = (long) (random.nextDouble() * 2000);
                moments.add(moment);
                Thread.sleep(moment);
                Optional<LockHolder> holder = migrator(database).lockHolder();
                if (holder.isPresent()) {
                    new JdbcTemplate(database.dataSource())
                            .execute("SELECT pg_terminate_backend("
                                    + holder.get().pid() + ")");
                    terminated++;
                }
                for (Future<RunReport> run : runs) {
                    try {
                        assertThat(run.get(60, TimeUnit.SECONDS).outcome()).isEqualTo(RunReport.Outcome.SUCCESS);
                    } catch (ExecutionException ex) {
                        assertThat(ex.getCause())
                                .as(trialName + ": a run may only fail for the lock it lost")
                                .isInstanceOfSatisfying(
                                        MigrationFailedException.class,
                                        failure -> assertThat(failure.code())
                                                .as(trialName + ": " + failure.getMessage())
                                                .isEqualTo(ErrorCode.LOCK_LOST));
                        stopped++;
                    }
                }

                migrator(database).migrate();

                JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
                assertThat(jdbc.queryForObject("SELECT count(*) FROM item WHERE counter = 1", Long.class))
                        .as(trialName + ": every row backfilled exactly once")
                        .isEqualTo(100);
                assertThat(jdbc.queryForList("SELECT n FROM tally ORDER BY name", Integer.class))
                        .as(trialName + ": every SQL data migration applied exactly once")
                        .containsExactly(1, 1, 1, 1);
                assertThat(jdbc.queryForObject("SELECT count(*) FROM migrator_data_history WHERE success", Long.class))
                        .as(trialName + ": one success row per data migration")
                        .isEqualTo(5);
                assertThat(jdbc.queryForObject(
                                "SELECT count(*) FROM migrator_data_history WHERE NOT success", Long.class))
                        .as(trialName + ": no failed row")
                        .isZero();
                assertThat(jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history", Long.class))
                        .isEqualTo(1);
            }
        }
        int trials = KillFaultTrialsIntegrationTests.TRIALS;
        System.out.println("FAULT TRIALS | lock session terminated while " + INSTANCES + " instances start | "
                + trials + " of " + trials + " converged, every row's counter 1; lock session terminated while"
                + " held in " + terminated + " trials, " + stopped + " runs stopped with LOCK_LOST | seed " + seed
                + " | moments, ms after start: " + moments);
        assertThat(terminated)
                .as("trials that terminated a held lock: the fault must have happened")
                .isPositive();
    }

    private static Migrator migrator(FreshDatabase database) {
        return Migrator.configure(database.dataSource())
                .schemaLocations("filesystem:" + schema)
                .dataLocations("filesystem:" + data)
                .dataMigrations(List.of(new D2__CountEachItemOnce()))
                .load();
    }
}
