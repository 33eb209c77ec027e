package dev.migrator.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged service run as a one-shot job, {@code java -jar demo-app.jar --migrator.command=...}, as an init
 * container or a deploy pipeline would: the exit code says what happened, and the output is what the job's log
 * shows. Nothing but the command line is changed: Hibernate validates the schema as in every other start.
 */
class CommandModeEndToEndTests {

    /** A command-mode start skips the web server and creates beans lazily; some 5-10 s under load. */
    private static final Duration COMMAND = Duration.ofSeconds(90);

    private static final JsonMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @RegisterExtension
    final DemoProcesses processes = new DemoProcesses();

    @Test
    void statusOfAFreshDatabaseExitsThreeAndPrintsOnlyJsonOnStdout() {
        DemoProcess status = this.processes.start("status", "--migrator.command=status", "--migrator.output=json");

        assertThat(status.awaitExit(COMMAND))
                .as("exit code of status with pending work")
                .isEqualTo(3);
        // The whole of stdout must parse as one JSON value: no log line, no banner before or after it.
        JsonNode result = json.readTree(status.stdout());
        assertThat(result.at("/status").asString()).isEqualTo("PENDING");
        assertThat(result.at("/autoRun").asBoolean()).isFalse();
        assertThat(result.at("/schema/pending").size()).isEqualTo(6);
        assertThat(result.at("/data/pending").size()).isEqualTo(4);
        assertThat(result.at("/lock/held").asBoolean()).isFalse();
        assertThat(this.processes
                        .jdbc()
                        .sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
                        .query(Long.class)
                        .single())
                .as("tables after status, which never writes")
                .isZero();
    }

    @Test
    void migrateExitsZeroThenStatusExitsZeroAndATamperedChecksumMakesItExitOne() {
        DemoProcess migrate = this.processes.start("migrate", "--migrator.command=migrate");

        assertThat(migrate.awaitExit(COMMAND)).as("exit code of migrate").isZero();
        assertThat(migrate.stdout())
                .contains("migrator migrate: SUCCESS")
                .contains("schema: 6 applied")
                .contains("data: 4 applied");
        JdbcClient jdbc = this.processes.jdbc();
        assertThat(jdbc.sql("SELECT count(*) FROM customer WHERE email_domain IS NOT NULL")
                        .query(Long.class)
                        .single())
                .isEqualTo(DemoProcesses.DEFAULT_SEED);

        DemoProcess upToDate = this.processes.start("status-up-to-date", "--migrator.command=status");

        assertThat(upToDate.awaitExit(COMMAND))
                .as("exit code of status when up to date")
                .isZero();
        assertThat(upToDate.stdout())
                .contains("migrator status: UP_TO_DATE")
                .contains("schema  current 6, target latest, 0 pending, 0 failed")
                .contains("data    current 3, target latest, 0 pending, 0 failed");

        // As if V4 had been edited after it was applied.
        assertThat(jdbc.sql("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '4'")
                        .update())
                .isOne();
        DemoProcess invalid = this.processes.start("status-invalid", "--migrator.command=status");

        assertThat(invalid.awaitExit(COMMAND))
                .as("exit code of status with a changed migration")
                .isOne();
        assertThat(invalid.stdout()).contains("migrator status: INVALID").contains("V4__add_purchase_order_note.sql");
    }

    @Test
    void unknownCommandFailsNamingTheValidOnes() {
        DemoProcess typo = this.processes.start("typo", "--migrator.command=migrat");

        assertThat(typo.awaitExit(COMMAND))
                .as("exit code of an unknown command")
                .isOne();
        assertThat(typo.output())
                .contains("'migrator.command'")
                .contains("migrat")
                .contains(List.of("MIGRATE", "STATUS", "VALIDATE", "PREVIEW", "HISTORY"));
        assertThat(this.processes
                        .jdbc()
                        .sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
                        .query(Long.class)
                        .single())
                .as("tables after an unknown command")
                .isZero();
    }
}
