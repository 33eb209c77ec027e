package dev.migrator.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.analysis.Finding;
import dev.migrator.core.analysis.Observation;
import dev.migrator.core.analysis.Rule;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A rehearsal on a real PostgreSQL: the pending migrations of both tracks run in one transaction,
 * observed, and are rolled back, leaving the catalog, the history tables and the rows as they were.
 */
class RehearsalIntegrationTests {

    /** The catalog of the public schema, the history tables and every row of the data tables, as one hash. */
    private static final String FINGERPRINT = "SELECT md5(concat_ws('|',"
            + " (SELECT string_agg(c.relname || ':' || c.relkind::text || ':' || c.relfilenode::text, ',' ORDER BY c.relname)"
            + "   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'),"
            + " (SELECT string_agg(a.attrelid::regclass::text || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod)"
            + "   || ':' || a.attnotnull::text, ',' ORDER BY a.attrelid::regclass::text, a.attnum) FROM pg_attribute a"
            + "   JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            + "   WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped),"
            + " (SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint WHERE connamespace = 'public'::regnamespace),"
            + " (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM account t),"
            + " (SELECT string_agg(h::text, ',' ORDER BY h.installed_rank) FROM flyway_schema_history h),"
            + " (SELECT count(*) FROM pg_tables WHERE tablename = 'migrator_data_history')))";

    @TempDir
    Path folder;

    private FreshDatabase database;

    private Path schema;

    private Path data;

    @BeforeEach
    void migrateTheFirstVersion() throws IOException {
        this.database = TestPostgres.server().createDatabase();
        this.schema = Files.createDirectories(this.folder.resolve("schema"));
        this.data = Files.createDirectories(this.folder.resolve("data"));
        Files.writeString(
                this.schema.resolve("V1__create_account.sql"),
                "CREATE TABLE account (id serial PRIMARY KEY,"
                        + " balance int NOT NULL); INSERT INTO account (balance) SELECT g FROM generate_series(1, 500) g;");
        migrator().migrate();
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void pendingMigrationsOfBothTracksRunObservedAndLeaveNothingBehind() throws IOException {
        Files.writeString(
                this.schema.resolve("V2__add_status.sql"),
                "ALTER TABLE account ADD COLUMN status text;"
                        + " CREATE INDEX account_balance ON account (balance);"
                        + " INSERT INTO account (balance) VALUES (1000);");
        Files.writeString(
                this.schema.resolve("V3__index_status.sql"),
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS account_status ON account (status);");
        Files.writeString(
                this.data.resolve("D1__mark_rich.sql"), "UPDATE account SET status = 'rich' WHERE balance > 250;");
        String before = fingerprint();

        Rehearsal rehearsal = migrator().rehearse();

        assertThat(rehearsal.succeeded()).isTrue();
        assertThat(rehearsal.rehearsed())
                .extracting(step -> step.migration().script())
                .containsExactly("V2__add_status.sql", "D1__mark_rich.sql");
        assertThat(rehearsal.notRehearsed()).singleElement().satisfies(skipped -> {
            assertThat(skipped.migration().script()).isEqualTo("V3__index_status.sql");
            assertThat(skipped.reason()).contains("runs outside a transaction");
        });
        Observation v2 = rehearsal.rehearsed().get(0).observation().orElseThrow();
        assertThat(v2.locks())
                .contains(
                        new Observation.TableLock("public.account", "AccessExclusiveLock"),
                        new Observation.TableLock("public.account", "ShareLock"));
        assertThat(v2.rowsInserted()).as(v2.toString()).isEqualTo(1);
        assertThat(v2.findings()).extracting(Finding::rule).contains(Rule.BLOCKING_INDEX_BUILD);
        Observation d1 = rehearsal.rehearsed().get(1).observation().orElseThrow();
        assertThat(d1.rowsChanged())
                .as("rows above 250, the one V2 inserted included")
                .isEqualTo(251);

        assertThat(fingerprint()).as("catalog, history and rows as they were").isEqualTo(before);
        assertThat(migrator().status().schema().pending()).hasSize(2);
    }

    @Test
    void theFirstErrorStopsTheRehearsalAndNamesTheMigration() throws IOException {
        Files.writeString(this.schema.resolve("V2__add_status.sql"), "ALTER TABLE account ADD COLUMN status text;");
        Files.writeString(this.schema.resolve("V3__broken.sql"), "UPDATE account SET missing = 1 WHERE id = 1;");
        Files.writeString(this.schema.resolve("V4__after.sql"), "ALTER TABLE account ADD COLUMN note text;");
        String before = fingerprint();

        Rehearsal rehearsal = migrator().rehearse();

        assertThat(rehearsal.succeeded()).isFalse();
        assertThat(rehearsal.error())
                .hasValueSatisfying(error -> assertThat(error)
                        .startsWith("V3__broken.sql: ")
                        .contains("column \"missing\" of relation \"account\" does not exist"));
        assertThat(rehearsal.rehearsed())
                .extracting(step -> step.error().isPresent())
                .containsExactly(false, true);
        assertThat(rehearsal.notRehearsed())
                .singleElement()
                .satisfies(skipped ->
                        assertThat(skipped.reason()).isEqualTo("an earlier migration failed in the rehearsal"));
        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    void nothingPendingIsAnEmptyRehearsal() {
        Rehearsal rehearsal = migrator().rehearse();

        assertThat(rehearsal.succeeded()).isTrue();
        assertThat(rehearsal.rehearsed()).isEmpty();
        assertThat(rehearsal.notRehearsed()).isEmpty();
    }

    private Migrator migrator() {
        return Migrator.configure(this.database.dataSource())
                .schemaLocations("filesystem:" + this.schema)
                .dataLocations("filesystem:" + this.data)
                .load();
    }

    private String fingerprint() {
        return new JdbcTemplate(this.database.dataSource()).queryForObject(FINGERPRINT, String.class);
    }
}
