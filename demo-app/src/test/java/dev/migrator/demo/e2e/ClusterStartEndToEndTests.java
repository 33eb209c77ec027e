package dev.migrator.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;

import dev.migrator.core.Migrator;
import dev.migrator.core.RunReport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Replicas of the packaged service started at once on an empty database: they queue for the cluster lock, one
 * migrates, the others find nothing pending, and all of them start and report healthy.
 *
 * <p>Left alone, four JVMs starting on two cores reach their migration runs seconds apart, and runs of a second or
 * two would rarely overlap: the test would pass without any lock. So the test holds the lock itself, as a replica
 * in the middle of a run would, until all four wait for it, and then lets them race for it.
 */
class ClusterStartEndToEndTests {

    private static final int INSTANCES = 4;

    /** Four JVMs starting together on two cores take some 30-45 s, much longer than one alone. */
    private static final Duration STARTUP = Duration.ofSeconds(150);

    private static final String WAITING = "Waiting for the migration lock";

    @RegisterExtension
    final DemoProcesses processes = new DemoProcesses();

    @Test
    void instancesStartedAtOnceApplyEveryMigrationExactlyOnceAndAllBecomeHealthy() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<RunReport> holder = holdLock(held, release);
        try {
            assertThat(held.await(60, TimeUnit.SECONDS))
                    .as("test's run under way")
                    .isTrue();
            assertThat(Migrator.configure(this.processes.dataSource()).load().lockHolder())
                    .as("cluster lock held by the test's run")
                    .isPresent();
            List<DemoProcess> instances = IntStream.rangeClosed(1, INSTANCES)
                    .mapToObj(n -> this.processes.start("instance-" + n))
                    .toList();
            awaitAllWaiting(instances);
            release.countDown();
            assertThat(holder.get(60, TimeUnit.SECONDS).dataApplied())
                    .as("data migrations applied by the test's run")
                    .isEmpty();

            for (DemoProcess instance : instances) {
                Http.Response health = Http.get(instance.awaitStarted(STARTUP).uri("/actuator/health"));
                assertThat(health.status()).as("health status code").isEqualTo(200);
                assertThat(health.<String>read("$.status")).isEqualTo("UP");
                assertThat(health.<String>read("$.components.migrations.status"))
                        .isEqualTo("UP");
            }
        } finally {
            release.countDown();
        }
        JdbcClient jdbc = this.processes.jdbc();
        assertThat(jdbc.sql("SELECT version, success FROM flyway_schema_history ORDER BY installed_rank")
                        .query((rs, row) -> tuple(rs.getString(1), rs.getBoolean(2)))
                        .list())
                .containsExactly(
                        tuple("1", true),
                        tuple("2", true),
                        tuple("3", true),
                        tuple("4", true),
                        tuple("5", true),
                        tuple("6", true));
        assertThat(jdbc.sql("SELECT version, script, success, rows_affected FROM migrator_data_history"
                                + " ORDER BY installed_rank")
                        .query((rs, row) ->
                                tuple(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getObject(4, Long.class)))
                        .list())
                .containsExactly(
                        tuple("1", "D1__seed_loyalty_tiers.sql", true, 3L),
                        tuple("2", "dev.migrator.demo.customer.D2__SeedDemoCustomers", true, null),
                        tuple("3", "dev.migrator.demo.customer.D3__BackfillCustomerEmailDomain", true, (long)
                                DemoProcesses.DEFAULT_SEED),
                        tuple(null, "R__product_catalog.sql", true, 3L));
        assertThat(jdbc.sql("SELECT count(*) FROM customer").query(Long.class).single())
                .as("customers seeded by D2")
                .isEqualTo(DemoProcesses.DEFAULT_SEED);
        assertThat(jdbc.sql("SELECT count(*) FROM customer WHERE email_domain IS NULL")
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM loyalty_tier")
                        .query(Long.class)
                        .single())
                .isEqualTo(3);
    }

    /**
     * Hold the cluster lock, as a replica in the middle of a run would, in a data migration run of a migrator of this
     * JVM on the same history table as the service's. The run reads its Java data migrations under the lock when it
     * first needs them, so it waits there until released, and then finds none: it creates and records nothing.
     */
    private CompletableFuture<RunReport> holdLock(CountDownLatch held, CountDownLatch release) {
        // A whole run with the schema track off: it reads its data migrations under the lock (a
        // data-only run would read them first without it), and the read blocks until released.
        Migrator migrator = Migrator.configure(this.processes.dataSource())
                .schemaEnabled(false)
                .schemaLocations("classpath:dev/migrator/demo/e2e/none")
                .dataLocations("classpath:dev/migrator/demo/e2e/none")
                .dataMigrations(() -> {
                    held.countDown();
                    try {
                        if (!release.await(STARTUP.toSeconds(), TimeUnit.SECONDS)) {
                            throw new IllegalStateException("Not released within " + STARTUP.toSeconds() + " s");
                        }
                    } catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("Interrupted", ex);
                    }
                    return List.of();
                })
                .load();
        return CompletableFuture.supplyAsync(migrator::migrate);
    }

    private static void awaitAllWaiting(List<DemoProcess> instances) {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!instances.stream().allMatch(instance -> instance.stdout().contains(WAITING))) {
            for (DemoProcess instance : instances) {
                if (!instance.isAlive()) {
                    fail("An instance ended while the test held the migration lock");
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                fail("Not every instance logged '" + WAITING + "' within " + STARTUP.toSeconds() + " s");
            }
            DemoProcesses.sleep(100);
        }
    }
}
