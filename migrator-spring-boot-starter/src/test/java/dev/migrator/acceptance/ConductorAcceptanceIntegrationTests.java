package dev.migrator.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.autoconfigure.MigratorAutoConfiguration;
import dev.migrator.autoconfigure.operations.MigrationSets;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Conductor runs Flyway twice per service: its main set (schema migrations and data back-fills in one version
 * space, {@code CREATE INDEX CONCURRENTLY} in V9, a gap where V13 was deleted), then its scheduler set, whose V1 and
 * V2 collide with the main ones and so keep a history table of their own. One service with two migration sets and
 * upstream's settings must give the schema and rows that applying the same files in the same order with psql gives.
 */
@TestInstance(Lifecycle.PER_CLASS)
class ConductorAcceptanceIntegrationTests {

    private static final String SET = "conductor-oss__conductor";

    private @Nullable FreshDatabase viaMigrator;

    private @Nullable FreshDatabase viaPsql;

    private final List<String> startupFailures = new ArrayList<>();

    private final List<String> setsInOrder = new ArrayList<>();

    @BeforeEach
    void migrateBothDatabasesOnce() {
        Path folder = RealWorldSets.assumePresent(SET);
        if (this.viaMigrator != null) {
            return;
        }
        TestPostgres server = TestPostgres.server();
        FreshDatabase viaMigrator = server.createDatabase();
        this.viaMigrator = viaMigrator;
        FreshDatabase viaPsql = server.createDatabase();
        this.viaPsql = viaPsql;
        String main = "filesystem:" + folder.resolve("migration_postgres") + ",filesystem:"
                + folder.resolve("migration_postgres_data");
        new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(DataSourceAutoConfiguration.class, MigratorAutoConfiguration.class))
                .withPropertyValues(viaMigrator.springProperties())
                .withPropertyValues(
                        // PostgresConfiguration upstream: main locations, out of order, baseline at 0.
                        "migrator.schema.locations=" + main,
                        "migrator.schema.out-of-order=true",
                        "migrator.schema.baseline-on-migrate=true",
                        "migrator.schema.baseline-version=0",
                        "migrator.data.enabled=false",
                        // PostgresSchedulerConfiguration upstream: its own location and history table.
                        "migrator.sets.scheduler.schema.locations=filesystem:" + folder.resolve("migration_scheduler"),
                        "migrator.sets.scheduler.schema.table=flyway_schema_history_scheduler",
                        "migrator.sets.scheduler.schema.out-of-order=true",
                        "migrator.sets.scheduler.data.enabled=false")
                .run(context -> {
                    if (context.getStartupFailure() != null) {
                        this.startupFailures.add(String.valueOf(context.getStartupFailure()));
                    } else {
                        context.getBean(MigrationSets.class).all().stream()
                                .map(MigratorOperations::name)
                                .forEach(this.setsInOrder::add);
                    }
                });
        List<Path> files = new ArrayList<>(PlainJdbcMigrations.inFlywayOrder(
                folder.resolve("migration_postgres"), folder.resolve("migration_postgres_data")));
        files.addAll(PlainJdbcMigrations.inFlywayOrder(folder.resolve("migration_scheduler")));
        PlainJdbcMigrations.applyStatementByStatement(viaPsql.dataSource(), files);
    }

    @AfterAll
    void dropDatabases() {
        if (this.viaMigrator != null) {
            this.viaMigrator.close();
        }
        if (this.viaPsql != null) {
            this.viaPsql.close();
        }
    }

    @Test
    void oneServiceWithTwoSetsMigratesAtStartupInOrder() {
        assertThat(this.startupFailures).isEmpty();
        assertThat(this.setsInOrder).containsExactly("default", "scheduler");
        JdbcTemplate jdbc = new JdbcTemplate(required(this.viaMigrator).dataSource());
        assertThat(jdbc.queryForList(
                        "SELECT version FROM flyway_schema_history WHERE type <> 'BASELINE' ORDER BY installed_rank",
                        String.class))
                .hasSize(20)
                .contains("9", "13.1", "13.2", "18.1")
                .doesNotContain("13");
        assertThat(jdbc.queryForList(
                        "SELECT version FROM flyway_schema_history_scheduler WHERE type <> 'BASELINE'"
                                + " ORDER BY installed_rank",
                        String.class))
                .containsExactly("1", "2");
    }

    @Test
    void schemaIsTheOnePsqlGives() {
        List<String> expected = SchemaSnapshot.of(required(this.viaPsql).dataSource(), "public");
        List<String> actual = SchemaSnapshot.of(required(this.viaMigrator).dataSource(), "public").stream()
                .filter(line -> !line.contains("flyway_schema_history"))
                .toList();

        assertThat(expected)
                .anyMatch(line -> line.startsWith("relation workflow_index table"))
                .anyMatch(line -> line.startsWith("relation scheduler table"))
                .anyMatch(line -> line.contains("workflow_index_json_data_gin_idx"))
                .anyMatch(line -> line.startsWith("trigger "))
                .hasSizeGreaterThan(100);
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @Test
    void rowsAreTheOnesPsqlGives() {
        Map<String, Long> actual =
                new TreeMap<>(RowCounts.of(required(this.viaMigrator).dataSource(), "public"));
        // The scheduler set's history table is the one migration-tool table the shared exclusions do not name.
        actual.keySet().removeIf(table -> table.contains("flyway_schema_history"));
        Map<String, Long> expected = RowCounts.of(required(this.viaPsql).dataSource(), "public");

        assertThat(expected).containsKeys("workflow_index", "scheduler");
        assertThat(actual).isEqualTo(expected);
    }

    private static <T> T required(@Nullable T value) {
        assertThat(value)
                .as("prepared before the first test, whose failure gives the cause")
                .isNotNull();
        return value;
    }
}
