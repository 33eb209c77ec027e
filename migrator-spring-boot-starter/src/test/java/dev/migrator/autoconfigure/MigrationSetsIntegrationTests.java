package dev.migrator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.autoconfigure.operations.MigrationSets;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import dev.migrator.core.MigrationFailedException;
import dev.migrator.core.MigratorException;
import dev.migrator.core.MigratorSettings;
import dev.migrator.core.data.BaseDataMigration;
import dev.migrator.core.data.DataMigrationContext;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Several migration sets in one service, each with its own tracks, history and lock. */
@ExtendWith(OutputCaptureExtension.class)
class MigrationSetsIntegrationTests {

    @TempDir
    Path root;

    private FreshDatabase database;

    private JdbcTemplate jdbc;

    private ApplicationContextRunner contextRunner;

    @BeforeEach
    void setUp() throws IOException {
        this.database = TestPostgres.server().createDatabase();
        this.jdbc = new JdbcTemplate(this.database.dataSource());
        write("main/V1__create_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        // Both sets start at V1: the scheduler's V1 refers to the default set's table, so it must run after it.
        write(
                "scheduler/V1__create_job.sql",
                "CREATE TABLE scheduler_job (id bigint PRIMARY KEY, customer_id bigint REFERENCES customer (id));");
        write("scheduler/V2__add_cron.sql", "ALTER TABLE scheduler_job ADD COLUMN cron text;");
        write(
                "scheduler-data/D1__insert_job.sql",
                "INSERT INTO customer VALUES (1); INSERT INTO scheduler_job VALUES (1, 1, '@daily');");
        this.contextRunner = new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(DataSourceAutoConfiguration.class, MigratorAutoConfiguration.class))
                .withPropertyValues(this.database.springProperties())
                .withPropertyValues(
                        "migrator.schema.locations=filesystem:" + this.root.resolve("main"),
                        "migrator.data.locations=filesystem:" + this.root.resolve("main-data"),
                        "migrator.sets.scheduler.schema.locations=filesystem:" + this.root.resolve("scheduler"),
                        "migrator.sets.scheduler.data.locations=filesystem:" + this.root.resolve("scheduler-data"));
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void everySetIsMigratedAtStartupInOrderEachWithItsOwnHistory() {
        this.contextRunner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(MigrationSets.class).all())
                    .extracting(MigratorOperations::name)
                    .containsExactly("default", "scheduler");
        });

        assertThat(versions("flyway_schema_history")).containsExactly("1");
        assertThat(versions("scheduler_schema_history")).containsExactly("1", "2");
        assertThat(versions("scheduler_data_history")).containsExactly("1");
        assertThat(this.jdbc.queryForObject("SELECT cron FROM scheduler_job", String.class))
                .isEqualTo("@daily");
    }

    @Test
    void aNamedSetDefaultsToItsOwnLocationsAndTables() {
        this.contextRunner
                .withPropertyValues("migrator.sets.audit.data.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    MigratorSettings audit = context.getBean(MigrationSets.class)
                            .get("audit")
                            .migrator()
                            .settings();
                    assertThat(audit.schemaLocations()).containsExactly("classpath:db/audit/migration");
                    assertThat(audit.dataLocations()).containsExactly("classpath:db/audit/data");
                    assertThat(audit.schemaTable()).isEqualTo("audit_schema_history");
                    assertThat(audit.dataTable()).isEqualTo("audit_data_history");
                });
    }

    @Test
    void aJavaDataMigrationNamingItsSetRunsInThatSet() {
        this.contextRunner.withUserConfiguration(SchedulerBackfill.class).run(context -> {
            assertThat(context).hasNotFailed();
        });

        assertThat(versions("scheduler_data_history")).containsExactly("1", "2");
        assertThat(this.jdbc.queryForObject("SELECT cron FROM scheduler_job", String.class))
                .isEqualTo("@hourly");
        assertThat(this.jdbc.queryForObject("SELECT to_regclass('migrator_data_history') IS NULL", Boolean.class))
                .as("the default set has no data migration")
                .isTrue();
    }

    @Test
    void aBeanNamingAnUndeclaredSetFailsStartupNamingTheBeanAndTheSets() {
        this.contextRunner.withUserConfiguration(MisplacedBackfill.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .isInstanceOf(MigratorException.class)
                    .hasMessageContaining("Bean 'misplaced' (a DataMigration) is in migration set 'sheduler'")
                    .hasMessageContaining("which is not declared")
                    .hasMessageContaining("default, scheduler");
        });
    }

    @Test
    void twoSetsSharingAHistoryTableFailStartupNamingBothProperties() {
        this.contextRunner
                .withPropertyValues("migrator.sets.scheduler.schema.table=flyway_schema_history")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("Two migration sets keep their history in the same table"
                                    + " 'flyway_schema_history'")
                            .hasMessageContaining("migrator.schema.table and migrator.sets.scheduler.schema.table");
                });
        assertThat(this.jdbc.queryForObject("SELECT to_regclass('customer') IS NULL", Boolean.class))
                .isTrue();
    }

    @Test
    void aCycleInDependsOnFailsStartup() {
        this.contextRunner
                .withPropertyValues(
                        "migrator.sets.scheduler.depends-on=audit",
                        "migrator.sets.audit.depends-on=scheduler",
                        "migrator.sets.audit.schema.locations=filesystem:" + this.root.resolve("main"))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("in a cycle: 'scheduler -> audit -> scheduler'");
                });
    }

    @Test
    void aFailureNamesItsSet() throws IOException {
        write("scheduler/V3__broken.sql", "ALTER TABLE scheduler_job ADD COLUMN;");

        this.contextRunner.run(context -> {
            assertThat(context).hasFailed();
            assertThat(cause(context.getStartupFailure(), MigrationFailedException.class))
                    .hasMessageStartingWith("Migration set 'scheduler': Schema migration 'V3__broken.sql' failed");
        });
        assertThat(versions("flyway_schema_history")).containsExactly("1");
    }

    @Test
    void withAutoRunOffThePendingWorkOfEachSetIsNamed(CapturedOutput output) {
        this.contextRunner.withPropertyValues("migrator.auto-run=false").run(context -> {
            assertThat(context).hasNotFailed();
        });

        assertThat(output)
                .contains("The schema track at no version is not up to date")
                .contains("The schema track of migration set 'scheduler' at no version is not up to date")
                .contains("'1 create job', '2 add cron'");
    }

    @Test
    void aSetWithAConnectionOfItsOwnMigratesThatDatabase() {
        try (FreshDatabase other = TestPostgres.server().createDatabase()) {
            write("reports/V1__create_report.sql", "CREATE TABLE report (id bigint PRIMARY KEY);");
            this.contextRunner
                    .withPropertyValues(
                            "migrator.sets.reports.url=" + other.jdbcUrl(),
                            "migrator.sets.reports.user=" + other.username(),
                            "migrator.sets.reports.password=" + other.password(),
                            "migrator.sets.reports.schema.locations=filesystem:" + this.root.resolve("reports"),
                            "migrator.sets.reports.data.enabled=false")
                    .run(context -> assertThat(context).hasNotFailed());

            assertThat(new JdbcTemplate(other.dataSource())
                            .queryForObject("SELECT to_regclass('report') IS NOT NULL", Boolean.class))
                    .isTrue();
            assertThat(this.jdbc.queryForObject("SELECT to_regclass('report') IS NULL", Boolean.class))
                    .isTrue();
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void fourInstancesStartedAtOnceApplyEveryMigrationOfEverySetOnce() throws Exception {
        write("main/V2__slow.sql", "SELECT pg_sleep(0.5);");
        write("scheduler/V3__slow.sql", "SELECT pg_sleep(0.5);");
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Boolean>> instances = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            instances.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                boolean[] started = {false};
                this.contextRunner.run(
                        context -> started[0] = !context.isClosed() && context.getStartupFailure() == null);
                return started[0];
            }));
        }
        start.countDown();

        for (CompletableFuture<Boolean> instance : instances) {
            assertThat(instance.get(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(versions("flyway_schema_history")).containsExactly("1", "2");
        assertThat(versions("scheduler_schema_history")).containsExactly("1", "2", "3");
        assertThat(versions("scheduler_data_history")).containsExactly("1");
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        throw new AssertionError("No " + type.getSimpleName() + " in the cause chain", failure);
    }

    private List<String> versions(String table) {
        return this.jdbc.queryForList(
                "SELECT version FROM " + table + " WHERE success AND type <> 'BASELINE' ORDER BY installed_rank",
                String.class);
    }

    private void write(String path, String sql) throws IOException {
        Path file = this.root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, sql);
    }

    @Configuration(proxyBeanMethods = false)
    static class SchedulerBackfill {

        @Bean
        @MigrationSet("scheduler")
        D2__HourlyJobs hourlyJobs() {
            return new D2__HourlyJobs();
        }
    }

    static class D2__HourlyJobs extends BaseDataMigration {

        @Override
        public void migrate(DataMigrationContext context) throws Exception {
            try (Statement statement = context.connection().createStatement()) {
                statement.executeUpdate("UPDATE scheduler_job SET cron = '@hourly'");
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class MisplacedBackfill {

        @Bean
        @MigrationSet("sheduler")
        D2__HourlyJobs misplaced() {
            return new D2__HourlyJobs();
        }
    }
}
