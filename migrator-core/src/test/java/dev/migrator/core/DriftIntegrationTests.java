package dev.migrator.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.migrator.core.DriftReport.Difference;
import dev.migrator.core.DriftReport.Kind;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Drift on a real PostgreSQL: a database migrated and then changed by hand, compared with a scratch
 * database that the same migrations build up to the same versions. Each kind of change made outside
 * the migrations is reported as exactly that difference; a database only the migrations touched has
 * none.
 */
class DriftIntegrationTests {

    @TempDir
    Path folder;

    private FreshDatabase live;

    private FreshDatabase scratch;

    private JdbcTemplate jdbc;

    private Migrator migrator;

    @BeforeEach
    void setUp() throws IOException {
        Path schema = Files.createDirectories(this.folder.resolve("schema"));
        Path data = Files.createDirectories(this.folder.resolve("data"));
        Files.writeString(schema.resolve("V1__customer.sql"), """
                CREATE TYPE mood AS ENUM ('happy', 'sad');
                CREATE SEQUENCE invoice_number START 1000;
                CREATE TABLE customer (
                    id bigint PRIMARY KEY,
                    email text NOT NULL CONSTRAINT customer_email_check CHECK (email LIKE '%@%'),
                    name varchar(100),
                    age integer,
                    mood mood);
                CREATE TABLE note (id integer PRIMARY KEY, body text);
                CREATE VIEW customer_names AS SELECT id, name FROM customer;
                CREATE FUNCTION shout(t text) RETURNS text LANGUAGE sql AS $$ SELECT upper(t) $$;
                CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
                """);
        Files.writeString(schema.resolve("V2__index_name.sql"), "CREATE INDEX customer_name ON customer (name);");
        Files.writeString(
                data.resolve("D1__ada.sql"), "INSERT INTO customer VALUES (1, 'ada@example.com', 'Ada', 36, 'happy');");
        this.live = TestPostgres.server().createDatabase();
        this.scratch = TestPostgres.server().createDatabase();
        this.jdbc = new JdbcTemplate(this.live.dataSource());
        this.migrator = Migrator.configure(this.live.dataSource())
                .schemaLocations("filesystem:" + schema)
                .dataLocations("filesystem:" + data)
                .load();
    }

    @AfterEach
    void dropDatabases() {
        this.live.close();
        this.scratch.close();
    }

    @Test
    void aDatabaseOnlyMigrationsTouchedHasNoDriftWhateverItsSequencesAndRows() {
        this.migrator.migrate();
        this.jdbc.execute("SELECT nextval('invoice_number')");
        this.jdbc.update("INSERT INTO customer VALUES (2, 'grace@example.com', 'Grace', 45, 'sad')");

        DriftReport report = this.migrator.drift(this.scratch.dataSource());

        assertThat(report.differences()).isEmpty();
        assertThat(report.drifted()).isFalse();
        assertThat(report.schemaVersion()).hasValue("2");
        assertThat(report.dataVersion()).hasValue("1");
        assertThat(new JdbcTemplate(this.scratch.dataSource())
                        .queryForObject("SELECT max(version) FROM flyway_schema_history", String.class))
                .as("the scratch database was built up to the recorded version")
                .isEqualTo("2");
    }

    @Test
    void theComparisonIsMadeAtTheVersionsTheDatabaseRecorded() {
        this.migrator.migrate(RunOptions.defaults().schemaTarget("1").dataTarget("current"));

        DriftReport report = this.migrator.drift(this.scratch.dataSource());

        assertThat(report.differences()).as("V2's index is in neither database").isEmpty();
        assertThat(report.schemaVersion()).hasValue("1");
        assertThat(report.dataVersion()).isEmpty();
    }

    @Test
    void aHandMadeIndexIsDrift() {
        assertDrift(
                "CREATE INDEX customer_email_idx ON customer (email)",
                new Difference(
                        Kind.INDEX,
                        "public.customer_email_idx",
                        null,
                        "CREATE INDEX customer_email_idx ON public.customer USING btree (email)"));
    }

    @Test
    void aColumnAddedOutsideMigrationsIsDrift() {
        assertDrift(
                "ALTER TABLE customer ADD COLUMN note text NOT NULL DEFAULT ''",
                new Difference(Kind.COLUMN, "public.customer.note", null, "text not null default ''::text"));
    }

    @Test
    void aColumnTypeChangedOutsideMigrationsIsDrift() {
        assertDrift(
                "ALTER TABLE customer ALTER COLUMN age TYPE bigint",
                new Difference(Kind.COLUMN, "public.customer.age", "integer", "bigint"));
    }

    @Test
    void aConstraintAddedOutsideMigrationsIsDrift() {
        assertDrift(
                "ALTER TABLE customer ADD CONSTRAINT customer_age_positive CHECK (age > 0)",
                new Difference(Kind.CONSTRAINT, "public.customer.customer_age_positive", null, "CHECK (age > 0)"));
    }

    @Test
    void aConstraintDroppedOutsideMigrationsIsDrift() {
        assertDrift(
                "ALTER TABLE customer DROP CONSTRAINT customer_email_check",
                new Difference(
                        Kind.CONSTRAINT, "public.customer.customer_email_check", "CHECK (email ~~ '%@%'::text)", null));
    }

    @Test
    void aSequenceChangedOutsideMigrationsIsDriftButItsValueIsNot() {
        assertDrift(
                "ALTER SEQUENCE invoice_number INCREMENT BY 10; SELECT nextval('invoice_number')",
                new Difference(
                        Kind.SEQUENCE,
                        "public.invoice_number",
                        "as bigint start 1000 increment 1 min 1 max 9223372036854775807 cache 1",
                        "as bigint start 1000 increment 10 min 1 max 9223372036854775807 cache 1"));
    }

    @Test
    void aViewChangedOutsideMigrationsIsDrift() {
        this.migrator.migrate();
        this.jdbc.execute("CREATE OR REPLACE VIEW customer_names AS SELECT id, name, email FROM customer");

        DriftReport report = this.migrator.drift(this.scratch.dataSource());

        assertThat(report.differences()).singleElement().satisfies(difference -> {
            assertThat(difference.kind()).isEqualTo(Kind.VIEW);
            assertThat(difference.name()).isEqualTo("public.customer_names");
            // The server's own rendering of the query, which differs a little between versions.
            assertThat(difference.expected()).contains("name").doesNotContain("email");
            assertThat(difference.found()).contains("name").contains("email");
        });
    }

    @Test
    void aFunctionChangedOutsideMigrationsIsDriftAndDescribedWithoutItsBody() {
        this.migrator.migrate();
        this.jdbc.execute("CREATE OR REPLACE FUNCTION shout(t text) RETURNS text LANGUAGE sql"
                + " AS $$ SELECT upper(t) || '!' $$");

        DriftReport report = this.migrator.drift(this.scratch.dataSource());

        assertThat(report.differences())
                .containsExactly(new Difference(
                        Kind.FUNCTION,
                        "public.shout(t text)",
                        "CREATE OR REPLACE FUNCTION public.shout(t text)\n RETURNS text\n LANGUAGE sql\n"
                                + "AS $function$ SELECT upper(t) $function$\n",
                        "CREATE OR REPLACE FUNCTION public.shout(t text)\n RETURNS text\n LANGUAGE sql\n"
                                + "AS $function$ SELECT upper(t) || '!' $function$\n"));
        assertThat(report.differences().get(0).description())
                .isEqualTo("function public.shout(t text) differs from what the migrations make"
                        + " (compare its expected and found definitions)");
    }

    @Test
    void anEnumValueAddedOutsideMigrationsIsDrift() {
        assertDrift(
                "ALTER TYPE mood ADD VALUE 'meh'",
                new Difference(Kind.ENUM, "public.mood", "('happy', 'sad')", "('happy', 'sad', 'meh')"));
    }

    @Test
    void aTableAddedOutsideMigrationsIsOneDifference() {
        assertDrift(
                "CREATE TABLE audit (id bigint PRIMARY KEY, at timestamptz NOT NULL)",
                new Difference(Kind.TABLE, "public.audit", null, "table"));
    }

    @Test
    void aTableDroppedOutsideMigrationsIsOneDifference() {
        assertDrift("DROP TABLE note", new Difference(Kind.TABLE, "public.note", "table", null));
    }

    @Test
    void aTriggerAddedOutsideMigrationsIsDrift() {
        assertDrift(
                "CREATE TRIGGER customer_touch BEFORE UPDATE ON customer FOR EACH ROW EXECUTE FUNCTION touch()",
                new Difference(
                        Kind.TRIGGER,
                        "public.customer.customer_touch",
                        null,
                        "CREATE TRIGGER customer_touch BEFORE UPDATE ON customer FOR EACH ROW EXECUTE FUNCTION"
                                + " touch()"));
    }

    @Test
    void aSchemaMadeByHandIsDriftAndTheHistoryTablesAreNot() {
        this.migrator.migrate();
        this.jdbc.execute("CREATE SCHEMA reporting");
        this.jdbc.execute("UPDATE flyway_schema_history SET execution_time = execution_time + 1");
        this.jdbc.execute("ALTER TABLE migrator_data_history ADD COLUMN note text");

        DriftReport report = this.migrator.drift(this.scratch.dataSource());

        assertThat(report.differences()).containsExactly(new Difference(Kind.SCHEMA, "reporting", null, "schema"));
        assertThat(report.differences().get(0).description())
                .isEqualTo("schema reporting only in the live database: schema");
    }

    @Test
    void aScratchDatabaseThatIsNotEmptyIsRefused() {
        this.migrator.migrate();
        this.migrator.on(this.scratch.dataSource()).migrate();

        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> this.migrator.drift(this.scratch.dataSource()))
                .withMessageContaining("The scratch database for drift is not empty")
                .satisfies(ex -> assertThat(ex.code()).isEqualTo(ErrorCode.CONFIGURATION));
    }

    private void assertDrift(String change, Difference expected) {
        this.migrator.migrate();
        for (String statement : change.split("; ")) {
            this.jdbc.execute(statement);
        }

        DriftReport report = this.migrator.drift(this.scratch.dataSource());

        assertThat(report.differences()).containsExactly(expected);
        assertThat(report.drifted()).isTrue();
        assertThat(report.schemaVersion()).isEqualTo(Optional.of("2"));
    }
}
