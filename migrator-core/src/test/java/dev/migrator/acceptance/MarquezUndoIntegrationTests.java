package dev.migrator.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.Migrator;
import dev.migrator.core.RunOptions;
import dev.migrator.core.UndoReport;
import dev.migrator.core.UndoStep;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Undo on a real-world set: the Marquez migrations with undo scripts written for their last five
 * versions (V70 to V74, in {@code undo/marquez} of the test resources). Undoing to V69.3 and
 * migrating again must give the schema and the history shape of never having undone, the
 * repeatable views that V73 and V74 depend on included.
 */
class MarquezUndoIntegrationTests {

    private static final String HISTORY_SHAPE = "SELECT concat_ws(':', installed_rank, version, description, type,"
            + " script, checksum, success) FROM flyway_schema_history ORDER BY installed_rank";

    @Test
    void undoingTheLastFiveVersionsAndMigratingAgainGivesTheSameSchemaAndHistoryShape() {
        Path folder = RealWorldSets.assumePresent("MarquezProject__marquez");
        try (FreshDatabase database = TestPostgres.server().createDatabase()) {
            Migrator migrator = Migrator.configure(database.dataSource())
                    .schemaLocations("filesystem:" + folder, "classpath:undo/marquez")
                    .dataEnabled(false)
                    .analysis(false)
                    .load();
            migrator.migrate();
            JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
            List<String> schema = SchemaSnapshot.of(database.dataSource(), "public");
            List<String> history = jdbc.queryForList(HISTORY_SHAPE, String.class);

            UndoReport report = migrator.undo(RunOptions.defaults().schemaTarget("69.3"));

            assertThat(report.undone())
                    .extracting(UndoStep::undo)
                    .containsExactly(
                            "U74__alter_jobs_to_add_current_run_uuid.sql",
                            "U73__alter_all_timestamps_to_timestamptz.sql",
                            "U72__drop_daily_mat_view_lineage_metrics.sql",
                            "U71__add_mat_views_lineage_metrics.sql",
                            "U70__alter_job_facets.sql");
            assertThat(report.rerun())
                    .extracting(entry -> entry.script())
                    .as("the repeatable views ran after V70, so they run again after it")
                    .containsExactlyInAnyOrder(
                            "R__Datasets_view.sql", "R__Jobs_view_and_rewrite_function.sql", "R__Runs_view.sql");
            assertThat(migrator.status().schema().current()).contains("69.3");
            assertThat(jdbc.queryForObject(
                            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                                    + " WHERE attrelid = 'runs'::regclass AND attname = 'created_at'",
                            String.class))
                    .as("V73 undone")
                    .isEqualTo("timestamp without time zone");

            migrator.migrate();

            assertThat(SchemaSnapshot.of(database.dataSource(), "public")).isEqualTo(schema);
            assertThat(jdbc.queryForList(HISTORY_SHAPE, String.class)).isEqualTo(history);
        }
    }
}
