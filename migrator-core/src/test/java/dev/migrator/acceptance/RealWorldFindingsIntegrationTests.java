package dev.migrator.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.DataOrdering;
import dev.migrator.core.Migrator;
import dev.migrator.core.MigratorConfiguration;
import dev.migrator.core.RunReport;
import dev.migrator.core.analysis.Finding;
import dev.migrator.core.analysis.Rule;
import dev.migrator.core.analysis.Severity;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The change analysis on the real-world sets: each set applies with analysis on, and the findings are
 * the ones a reviewer of those migrations would expect. Prints a summary per set.
 */
class RealWorldFindingsIntegrationTests {

    @Test
    void marquez() {
        Path folder = RealWorldSets.assumePresent("MarquezProject__marquez");
        List<Finding> findings =
                findings("marquez", ds -> Migrator.configure(ds).schemaLocations("filesystem:" + folder));
        assertThat(findings)
                .as("a NOT NULL column without a default, added to an existing table")
                .anySatisfy(finding(
                        Rule.REQUIRED_COLUMN,
                        "V2.1__alter_job_versions_to_add_job_context_uuid.sql",
                        "public.job_versions.job_context_uuid"))
                .as("the one CREATE INDEX CONCURRENTLY, without IF NOT EXISTS")
                .anySatisfy(
                        finding(Rule.CONCURRENT_INDEX_NOT_IDEMPOTENT, "V47__add_lineage_event_indexes.sql", "line 1"))
                .as("UPDATE runs SET transitioned_at = updated_at")
                .anySatisfy(finding(Rule.DML_WITHOUT_WHERE, "V23__alter_runs.sql", "line 18"))
                .as("the io mapping tables")
                .anySatisfy(finding(
                        Rule.DROP_TABLE, "V35__drop_io_mapping_tables.sql", "public.job_versions_io_mapping_inputs"))
                .as("foreign keys added by ALTER TABLE to tables that existed")
                .anySatisfy(
                        finding(Rule.VALIDATING_CONSTRAINT, "V13__alter_run_add_start_end_state.sql", "public.runs"))
                .as("an empty set's tables are small: nothing is an error")
                .noneMatch(f -> f.severity() == Severity.ERROR);
    }

    @Test
    void conductor() {
        Path folder = RealWorldSets.assumePresent("conductor-oss__conductor");
        List<Finding> findings = findings(
                "conductor",
                ds -> Migrator.configure(ds)
                        .schemaLocations(
                                "filesystem:" + folder.resolve("migration_postgres"),
                                "filesystem:" + folder.resolve("migration_postgres_data"))
                        .outOfOrder(true));
        assertThat(findings)
                .as("varchar to text: a type change PostgreSQL makes without rewriting the table")
                .anySatisfy(
                        finding(Rule.COLUMN_TYPE_CHANGE, "V12__task_index_columns.sql", "public.task_index.task_type"))
                .noneMatch(f -> f.rule() == Rule.TABLE_REWRITE && f.migration().equals("V12__task_index_columns.sql"));
        assertThat(findings.stream()
                        .filter(f ->
                                f.rule() == Rule.DROP_COLUMN && f.migration().equals("V6__update_pk.sql")))
                .as("V6 replaces the id column of twelve tables by a primary key")
                .hasSize(12);
    }

    @Test
    void kestra() {
        Path folder = RealWorldSets.assumePresent("kestra-io__kestra");
        List<Finding> findings = findings(
                "kestra",
                ds -> Migrator.configure(ds)
                        .schemaLocations("filesystem:" + folder)
                        .outOfOrder(true));
        assertThat(findings)
                .anySatisfy(finding(Rule.RENAME_TABLE, "V1_14__subflow_executions.sql", "public.workertaskexecutions"))
                .anySatisfy(finding(Rule.DROP_TABLE, "V1_20__drop_worker_instance.sql", "public.worker_instance"))
                .as("a stored generated column added to an existing table rewrites it")
                .anySatisfy(finding(Rule.TABLE_REWRITE, "V1_5__multitenant.sql", "public.flows"));
    }

    @Test
    void opalFines() {
        Path folder = RealWorldSets.assumePresent("hmcts__opal-fines-service");
        List<Finding> findings = findings(
                "opal",
                ds -> Migrator.configure(ds)
                        .schemaLocations("filesystem:" + folder.resolve("ddl"))
                        .dataLocations(
                                "filesystem:" + folder.resolve("data/allEnvs"),
                                "filesystem:" + folder.resolve("data/nle"))
                        .dataPrefix("V")
                        .dataOrdering(DataOrdering.BY_VERSION));
        assertThat(findings)
                .anySatisfy(finding(
                        Rule.REQUIRED_COLUMN,
                        "V1_215__alter_imposition_categories.sql",
                        "public.imposition_categories.imposition_category_id"))
                .anySatisfy(f -> assertThat(f.rule()).isEqualTo(Rule.TABLE_REWRITE));
    }

    private static java.util.function.Consumer<Finding> finding(Rule rule, String migration, String object) {
        return f -> {
            assertThat(f.rule()).isEqualTo(rule);
            assertThat(f.migration()).isEqualTo(migration);
            assertThat(f.object()).isEqualTo(object);
        };
    }

    private static List<Finding> findings(String set, Function<DataSource, MigratorConfiguration> configuration) {
        try (FreshDatabase database = TestPostgres.server().createDatabase()) {
            RunReport report = configuration.apply(database.dataSource()).load().migrate();
            List<Finding> findings = report.findings();
            Map<Rule, Long> byRule = new TreeMap<>(
                    findings.stream().collect(Collectors.groupingBy(Finding::rule, Collectors.counting())));
            System.out.println("FINDINGS | " + set + " | " + byRule);
            return findings;
        }
    }
}
