package dev.migrator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.migrator.autoconfigure.command.MigratorCommandExit;
import dev.migrator.core.analysis.Rule;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Command mode in-process: the exit code is captured instead of ending the JVM. */
@ExtendWith(OutputCaptureExtension.class)
class CommandModeIntegrationTests {

    private static final AtomicInteger exitCode = new AtomicInteger(-1);

    @TempDir
    Path root;

    private Path schema;

    private Path data;

    private FreshDatabase database;

    private JdbcTemplate jdbc;

    @BeforeEach
    void setUp() throws IOException {
        this.schema = Files.createDirectory(this.root.resolve("schema"));
        this.data = Files.createDirectory(this.root.resolve("data"));
        Files.writeString(
                this.schema.resolve("V1__create_customer.sql"),
                "CREATE TABLE customer (id bigint PRIMARY KEY, email text);");
        Files.writeString(
                this.data.resolve("D1__insert_ada.sql"), "INSERT INTO customer VALUES (1, 'ada@example.com');");
        this.database = TestPostgres.server().createDatabase();
        this.jdbc = new JdbcTemplate(this.database.dataSource());
        exitCode.set(-1);
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
        // Command mode quiets the root logger to WARN; later tests in this JVM expect INFO.
        LoggingSystem.get(getClass().getClassLoader()).setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.INFO);
    }

    @Test
    void migrateAppliesBothTracksPrintsTheRunAndExitsZero(CapturedOutput output) {
        run("--migrator.command=migrate");

        assertThat(exitCode).hasValue(0);
        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM customer", Long.class))
                .isEqualTo(1);
        assertThat(output)
                .contains("migrator migrate: SUCCESS")
                .contains("schema: 1 applied")
                .contains("data: 1 applied")
                .contains("PASSED checksums-valid");
    }

    @Test
    void statusExitsThreeWhilePendingAndZeroOnceUpToDateWithoutMigratingOnItsOwn(CapturedOutput output) {
        run("--migrator.command=status");

        assertThat(exitCode).hasValue(3);
        assertThat(this.jdbc.queryForObject("SELECT to_regclass('customer') IS NULL", Boolean.class))
                .as("command mode never migrates at startup")
                .isTrue();
        assertThat(output).contains("migrator status: PENDING").contains("pending  1");

        run("--migrator.command=migrate");
        run("--migrator.command=status");

        assertThat(exitCode).hasValue(0);
        assertThat(output).contains("migrator status: UP_TO_DATE");
    }

    @Test
    void statusInJsonHasTheEndpointShape(CapturedOutput output) {
        run("--migrator.command=migrate");
        int before = output.getOut().length();

        run("--migrator.command=status", "--migrator.output=json");

        String printed = output.getOut().substring(before);
        // Startup log lines of this in-process run may precede the JSON document.
        JsonNode status = JsonMapper.builder().build().readTree(printed.substring(printed.indexOf("\n{") + 1));
        assertThat(status.get("status").asString()).isEqualTo("UP_TO_DATE");
        assertThat(status.get("schema").get("current").asString()).isEqualTo("1");
        assertThat(status.get("data").get("current").asString()).isEqualTo("1");
        assertThat(status.get("lock").get("held").asBoolean()).isFalse();
        assertThat(status.get("checks").size()).isEqualTo(4);
    }

    @Test
    void validateExitsOneWhenAnAppliedMigrationChanged(CapturedOutput output) throws IOException {
        run("--migrator.command=migrate");
        Files.writeString(
                this.data.resolve("D1__insert_ada.sql"), "INSERT INTO customer VALUES (2, 'bob@example.com');");

        int before = output.getOut().length();

        run("--migrator.command=validate");

        assertThat(exitCode).hasValue(1);
        // Only what validate printed: migrate printed the file name before.
        assertThat(output.getOut().substring(before))
                .contains("migrator validate: INVALID")
                .contains("D1__insert_ada.sql")
                .contains("changed after it was applied");
        run("--migrator.command=status");
        assertThat(exitCode).hasValue(1);
    }

    @Test
    void previewPrintsTheSqlInOrderAndChangesNothing(CapturedOutput output) {
        run("--migrator.command=preview");

        assertThat(exitCode).hasValue(0);
        assertThat(output.getOut())
                .containsSubsequence(
                        "-- schema 1 create customer (V1__create_customer.sql)",
                        "CREATE TABLE customer",
                        "-- data 1 insert ada (D1__insert_ada.sql)",
                        "INSERT INTO customer");
        assertThat(this.jdbc.queryForObject("SELECT to_regclass('customer') IS NULL", Boolean.class))
                .isTrue();
    }

    @Test
    void passwordsAreMaskedInPreviewStatusAndMigrateInTextAndJson(CapturedOutput output) throws IOException {
        // Roles belong to the server, which other test runs may share: a name of this run's own, dropped after.
        String role = "reporting_" + Long.toHexString(System.nanoTime());
        Files.writeString(
                this.schema.resolve("V2__create_reporting_role.sql"),
                "CREATE ROLE " + role + " LOGIN PASSWORD 'hunter2';");
        try {
            assertPasswordsMasked(output, role);
        } finally {
            this.jdbc.execute("DROP ROLE IF EXISTS " + role);
        }
    }

    private void assertPasswordsMasked(CapturedOutput output, String role) throws IOException {
        Files.writeString(
                this.data.resolve("D2__call_partner.sql"),
                "DO $$ BEGIN RAISE EXCEPTION 'partner unreachable at postgres://partner:hunter2@partner-db/x'; END $$;");
        Path checks = Files.createDirectories(this.root.resolve("checks"));
        Files.writeString(
                checks.resolve("no_plain_passwords.sql"), "SELECT 'ALTER ROLE app PASSWORD ''hunter2''' AS statement");

        for (String format : new String[] {"text", "json"}) {
            int before = output.getOut().length();
            run("--migrator.command=preview", "--migrator.output=" + format);
            assertThat(output.getOut().substring(before))
                    .as("preview in %s", format)
                    .contains("CREATE ROLE " + role + " LOGIN PASSWORD '******'");

            before = output.getOut().length();
            run("--migrator.command=status", "--migrator.output=" + format);
            assertThat(output.getOut().substring(before))
                    .as("status in %s", format)
                    .contains("no_plain_passwords")
                    .contains("ALTER ROLE app PASSWORD '******'");
        }
        int before = output.getOut().length();
        run("--migrator.command=migrate", "--migrator.output=json");
        assertThat(exitCode).hasValue(1);
        assertThat(output.getOut().substring(before)).contains("postgres://partner:******@partner-db/x");
        before = output.getOut().length();
        run("--migrator.command=migrate");
        assertThat(output.getOut().substring(before)).contains("postgres://partner:******@partner-db/x");

        assertThat(output.getAll()).doesNotContain("hunter2");
    }

    @Test
    void aStartupFailureIsAnalysedAndLoggedWithPasswordsMasked(CapturedOutput output) throws IOException {
        Files.writeString(
                this.data.resolve("D2__call_partner.sql"),
                "DO $$ BEGIN RAISE EXCEPTION 'partner unreachable at postgres://partner:hunter2@partner-db/x'; END $$;");

        assertThatException().isThrownBy(() -> run());

        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("migrator: Data migration 'D2__call_partner.sql' failed")
                .contains("postgres://partner:******@partner-db/x")
                .doesNotContain("hunter2");
    }

    @Test
    void withSeveralSetsACommandCoversEachOrTheOneNamed(CapturedOutput output) throws IOException {
        Path jobs = Files.createDirectories(this.root.resolve("jobs"));
        Files.writeString(jobs.resolve("V1__create_job.sql"), "CREATE TABLE job (id bigint PRIMARY KEY);");
        String[] sets = {
            "--migrator.sets.jobs.schema.locations=filesystem:" + jobs, "--migrator.sets.jobs.data.enabled=false"
        };

        int before = output.getOut().length();
        run(Stream.concat(Stream.of("--migrator.command=status"), Stream.of(sets))
                .toArray(String[]::new));
        assertThat(exitCode).hasValue(3);
        assertThat(output.getOut().substring(before))
                .containsSubsequence(
                        "== migration set default",
                        "migrator status: PENDING",
                        "== migration set jobs",
                        "migrator status: PENDING",
                        "pending  1          create job");

        run(Stream.concat(Stream.of("--migrator.command=migrate", "--migrator.set=jobs"), Stream.of(sets))
                .toArray(String[]::new));
        assertThat(exitCode).hasValue(0);
        assertThat(this.jdbc.queryForObject("SELECT to_regclass('job') IS NOT NULL", Boolean.class))
                .isTrue();
        assertThat(this.jdbc.queryForObject("SELECT to_regclass('customer') IS NULL", Boolean.class))
                .as("only the set named ran")
                .isTrue();

        before = output.getOut().length();
        run(Stream.concat(Stream.of("--migrator.command=status", "--migrator.output=json"), Stream.of(sets))
                .toArray(String[]::new));
        String printed = output.getOut().substring(before);
        JsonNode status = JsonMapper.builder().build().readTree(printed.substring(printed.indexOf("\n{") + 1));
        assertThat(status.get("default").get("status").asString()).isEqualTo("PENDING");
        assertThat(status.get("jobs").get("status").asString()).isEqualTo("UP_TO_DATE");
        assertThat(exitCode).hasValue(3);

        run(Stream.concat(Stream.of("--migrator.command=status", "--migrator.set=job"), Stream.of(sets))
                .toArray(String[]::new));
        assertThat(exitCode).hasValue(1);
        assertThat(output).contains("There is no migration set 'job'. Name one of 'default', 'jobs'.");
    }

    @Test
    void historyListsBothTracks(CapturedOutput output) {
        run("--migrator.command=migrate");

        run("--migrator.command=history");

        assertThat(exitCode).hasValue(0);
        assertThat(output.getOut())
                .containsPattern("schema +1 +create customer")
                .containsPattern("data +1 +insert ada");
    }

    @Test
    void unknownCommandFailsListingTheValidOnes(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run("--migrator.command=migrat"));

        assertThat(exitCode).as("the runner never ran").hasValue(-1);
        assertThat(output)
                .contains("migrator.command")
                .contains("migrat")
                .contains("MIGRATE")
                .contains("STATUS")
                .contains("VALIDATE")
                .contains("PREVIEW")
                .contains("HISTORY");
    }

    @Test
    void rehearseRunsThePendingMigrationsRollsThemBackAndExitsLikeStatus(CapturedOutput output) throws IOException {
        run("--migrator.command=migrate");
        Files.writeString(
                this.schema.resolve("V2__index_email.sql"), "CREATE INDEX customer_email ON customer (email);");
        Files.writeString(
                this.data.resolve("D2__lowercase.sql"), "UPDATE customer SET email = lower(email) WHERE id = 1;");

        run("--migrator.command=rehearse");

        assertThat(exitCode).hasValue(0);
        assertThat(output)
                .contains("migrator rehearse: SUCCEEDED")
                .contains("2 rehearsed, 0 not rehearsed")
                .contains("lock      public.customer: ShareLock")
                .contains("WARNING blocking-index-build in V2__index_email.sql on public.customer")
                .contains("safe: CREATE INDEX CONCURRENTLY IF NOT EXISTS")
                .contains("0 inserted, 1 updated or deleted")
                .contains("Sequences used by the rehearsed migrations stay advanced");
        assertThat(this.jdbc.queryForObject(
                        "SELECT count(*) FROM pg_indexes WHERE indexname = 'customer_email'", Long.class))
                .as("rolled back")
                .isZero();

        Files.writeString(
                this.schema.resolve("V3__index_concurrently.sql"),
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS customer_id_email ON customer (id, email);");
        run("--migrator.command=rehearse");

        assertThat(exitCode).as("one migration could not be rehearsed").hasValue(3);
        assertThat(output).contains("V3__index_concurrently.sql: not rehearsed, it runs outside a transaction");

        Files.writeString(this.schema.resolve("V4__broken.sql"), "ALTER TABLE nowhere ADD COLUMN x int;");
        run("--migrator.command=rehearse", "--migrator.output=json");

        assertThat(exitCode).hasValue(1);
        assertThat(output).contains("\"succeeded\" : false").contains("relation \\\"nowhere\\\" does not exist");
    }

    @Test
    void lintShowsTheFindingsOfPendingMigrationsAndFailsFromTheConfiguredSeverity(CapturedOutput output)
            throws IOException {
        run("--migrator.command=migrate");
        Files.writeString(this.schema.resolve("V2__drop_email.sql"), "ALTER TABLE customer DROP COLUMN email;");

        run("--migrator.command=lint");

        assertThat(exitCode).as("a warning does not fail by default").hasValue(0);
        assertThat(output)
                .contains("migrator lint (pending): 3 finding(s), 0 failing (fail-on error)")
                .contains("WARNING drop-column in V2__drop_email.sql on public.customer.email: dropped");

        run("--migrator.command=lint", "--migrator.lint.fail-on=warning");

        assertThat(exitCode).hasValue(1);
        assertThat(this.jdbc.queryForObject(
                        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'customer'", Long.class))
                .as("lint changed nothing")
                .isEqualTo(2);
    }

    @Test
    void undoNeedsATargetPreviewShowsItsPathAndMigrateAppliesAgain(CapturedOutput output) throws IOException {
        Files.writeString(this.schema.resolve("V2__add_phone.sql"), "ALTER TABLE customer ADD COLUMN phone text;");
        Files.writeString(this.schema.resolve("U2__add_phone.sql"), "ALTER TABLE customer DROP COLUMN phone;");
        run("--migrator.command=migrate");
        assertThat(exitCode).hasValue(0);

        run("--migrator.command=undo");

        assertThat(exitCode).as("no target").hasValue(1);
        assertThat(output).contains("Undo needs the version each track returns to");
        assertThat(columnExists("phone")).isTrue();

        run("--migrator.command=preview", "--migrator.schema.target=1");

        assertThat(exitCode).hasValue(0);
        assertThat(output)
                .contains("-- undo schema 2 add phone (V2__add_phone.sql) by U2__add_phone.sql")
                .contains("ALTER TABLE customer DROP COLUMN phone;");
        assertThat(columnExists("phone")).as("preview changed nothing").isTrue();

        run("--migrator.command=undo", "--migrator.schema.target=1");

        assertThat(exitCode).hasValue(0);
        assertThat(output).contains("migrator undo: SUCCEEDED").contains("V2__add_phone.sql by U2__add_phone.sql");
        assertThat(columnExists("phone")).isFalse();

        run("--migrator.command=status");

        assertThat(exitCode).as("V2 is pending again").hasValue(3);

        run("--migrator.command=migrate");

        assertThat(exitCode).hasValue(0);
        assertThat(columnExists("phone")).isTrue();
    }

    @Test
    void markAppliedRecordsDataMigrationsWithoutRunningThem(CapturedOutput output) {
        run("--migrator.command=migrate", "--migrator.data.target=current");
        assertThat(exitCode).hasValue(0);

        run("--migrator.command=mark-applied");

        assertThat(exitCode).as("the data target is 'latest', not a version").hasValue(1);
        assertThat(output).contains("the data target is 'latest'");

        run("--migrator.command=mark-applied", "--migrator.data.target=1");

        assertThat(exitCode).hasValue(0);
        assertThat(output)
                .contains("migrator mark-applied: recorded as applied without running them: D1__insert_ada.sql");
        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM customer", Long.class))
                .as("D1 did not run")
                .isZero();

        run("--migrator.command=status");

        assertThat(exitCode).as("nothing pending").hasValue(0);
    }

    private boolean columnExists(String column) {
        return Boolean.TRUE.equals(this.jdbc.queryForObject(
                "SELECT EXISTS (SELECT FROM information_schema.columns WHERE table_name = 'customer'"
                        + " AND column_name = ?)",
                Boolean.class,
                column));
    }

    @Test
    void lintWritesSarifForCodeScanning(CapturedOutput output) throws IOException {
        run("--migrator.command=migrate");
        Files.writeString(
                this.schema.resolve("V2__drop_email.sql"),
                "-- migrator:allow drop-column backed up in ticket 12\n"
                        + "ALTER TABLE customer DROP COLUMN email;\n"
                        + "UPDATE customer SET id = id;\n");
        int before = output.getOut().length();

        run("--migrator.command=lint", "--migrator.output=sarif", "--migrator.lint.fail-on=warning");

        assertThat(exitCode).as("the unallowed warning fails").hasValue(1);
        String printed = output.getOut().substring(before);
        JsonNode log = JsonMapper.builder().build().readTree(printed.substring(printed.indexOf("{\n  \"version\"")));
        assertThat(log.get("version").asString()).isEqualTo("2.1.0");
        JsonNode run = log.get("runs").get(0);
        assertThat(run.get("tool").get("driver").get("rules").size()).isEqualTo(Rule.values().length);
        List<JsonNode> results = new ArrayList<>();
        run.get("results").forEach(results::add);
        assertThat(results).anySatisfy(result -> {
            assertThat(result.get("ruleId").asString()).isEqualTo("drop-column");
            assertThat(result.get("suppressions").get(0).get("justification").asString())
                    .isEqualTo("backed up in ticket 12");
            assertThat(result.at("/locations/0/physicalLocation/artifactLocation/uri")
                            .asString())
                    .startsWith("file:")
                    .endsWith("/schema/V2__drop_email.sql");
        });
        assertThat(results).anySatisfy(result -> {
            assertThat(result.get("ruleId").asString()).isEqualTo("dml-without-where");
            assertThat(result.get("level").asString()).isEqualTo("warning");
            assertThat(result.get("suppressions")).isNull();
            assertThat(result.at("/locations/0/physicalLocation/region/startLine")
                            .asInt())
                    .isEqualTo(3);
            assertThat(result.get("message").get("text").asString()).contains("Safe form:");
        });

        run("--migrator.command=status", "--migrator.output=sarif");

        assertThat(exitCode).hasValue(1);
        assertThat(output.getErr()).contains("migrator.output=sarif is for the lint command only");
    }

    @Test
    void lintOfEveryMigrationBuildsThemInAScratchDatabaseAndDropsIt(CapturedOutput output) throws IOException {
        Files.writeString(
                this.schema.resolve("V2__index_email.sql"), "CREATE INDEX customer_email ON customer (email);");

        run("--migrator.command=lint", "--migrator.lint.scope=all", "--migrator.output=json");

        assertThat(exitCode).hasValue(0);
        assertThat(output).contains("\"rule\" : \"blocking-index-build\"").contains("\"scope\" : \"ALL\"");
        assertThat(this.jdbc.queryForObject("SELECT to_regclass('customer') IS NULL", Boolean.class))
                .as("the target is untouched")
                .isTrue();
        assertThat(this.jdbc.queryForObject(
                        "SELECT count(*) FROM pg_database WHERE datname LIKE 'migrator\\_lint\\_%'", Long.class))
                .as("the scratch database is dropped")
                .isZero();
    }

    @Test
    void driftExitsZeroWhenOnlyMigrationsTouchedTheDatabaseAndThreeNamingEachChangeMadeByHand(CapturedOutput output) {
        run("--migrator.command=migrate");

        run("--migrator.command=drift");

        assertThat(exitCode).hasValue(0);
        assertThat(output).contains("migrator drift: NONE; the database matches its migrations at schema 1, data 1");

        this.jdbc.execute("CREATE INDEX customer_email_by_hand ON customer (email)");
        this.jdbc.execute("ALTER TABLE customer ADD COLUMN note text");
        int before = output.getOut().length();
        run("--migrator.command=drift");

        assertThat(exitCode).hasValue(3);
        assertThat(output.getOut().substring(before))
                .contains("migrator drift: DRIFTED; 2 difference(s) from what the migrations build at schema 1, data 1")
                .contains("  + column public.customer.note only in the live database: text\n")
                .contains("  + index public.customer_email_by_hand only in the live database: CREATE INDEX"
                        + " customer_email_by_hand ON public.customer USING btree (email)\n");

        before = output.getOut().length();
        run("--migrator.command=drift", "--migrator.output=json");

        assertThat(exitCode).hasValue(3);
        String printed = output.getOut().substring(before);
        JsonNode drift = JsonMapper.builder().build().readTree(printed.substring(printed.indexOf("\n{") + 1));
        assertThat(drift.get("drifted").asBoolean()).isTrue();
        assertThat(drift.get("schemaVersion").asString()).isEqualTo("1");
        assertThat(drift.get("differences").get(0).get("kind").asString()).isEqualTo("COLUMN");
        assertThat(drift.get("differences").get(0).get("name").asString()).isEqualTo("public.customer.note");
        assertThat(drift.get("differences").get(0).get("found").asString()).isEqualTo("text");
        assertThat(drift.get("differences").get(0).has("expected"))
                .as("absent values are omitted")
                .isFalse();
        assertThat(this.jdbc.queryForObject(
                        "SELECT count(*) FROM pg_database WHERE datname LIKE 'migrator\\_drift\\_%'", Long.class))
                .as("every scratch database is dropped")
                .isZero();
    }

    private void run(String... args) {
        new SpringApplicationBuilder(CommandApplication.class)
                .properties(Stream.concat(
                                Stream.of(this.database.springProperties()),
                                Stream.of(
                                        "migrator.schema.locations=filesystem:" + this.schema,
                                        "migrator.data.locations=filesystem:" + this.data,
                                        "migrator.checks.locations=filesystem:" + this.root.resolve("checks")))
                        .toArray(String[]::new))
                .run(args);
    }

    @SpringBootConfiguration
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, MigratorAutoConfiguration.class})
    static class CommandApplication {

        @Bean
        MigratorCommandExit capturingExit() {
            return exitCode::set;
        }
    }
}
