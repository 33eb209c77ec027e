package dev.migrator.autoconfigure.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.autoconfigure.descriptor.MigrationsDescriptor;
import dev.migrator.autoconfigure.descriptor.Trigger;
import dev.migrator.core.AppliedMigration;
import dev.migrator.core.MigrationEntry;
import dev.migrator.core.MigrationStatus;
import dev.migrator.core.PreviewStep;
import dev.migrator.core.RunReport;
import dev.migrator.core.Track;
import dev.migrator.core.TrackStatus;
import dev.migrator.core.check.CheckResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Command mode's text: what a person reads in a job's log. */
class TextOutputTests {

    private static final MigrationEntry V1 =
            new MigrationEntry(Optional.of("1"), "create customer", "V1__create_customer.sql", "SQL");

    private static final MigrationEntry R_CATALOG =
            new MigrationEntry(Optional.empty(), "catalog", "R__catalog.sql", "SQL_REPEATABLE");

    @Test
    void statusShowsEachTrackItsPendingWorkTheLockAndTheChecks() {
        MigrationStatus tracks = new MigrationStatus(
                new TrackStatus(Optional.empty(), "latest", List.of(V1), List.of()),
                new TrackStatus(
                        Optional.of("2"),
                        "latest",
                        List.of(R_CATALOG.withReason("waits for schema 3; the schema target 'latest' reaches 1")),
                        List.of()));
        MigrationsDescriptor status = MigrationsDescriptor.of(
                MigrationsDescriptor.Status.PENDING,
                false,
                tracks,
                MigrationsDescriptor.Lock.of(Optional.empty()),
                null,
                List.of(CheckResult.failed("orders_have_customers", "1 violating row, first: [{id=7}]")));

        String text = render(out -> TextOutput.status(out, status));

        assertThat(text)
                .startsWith("migrator status: PENDING")
                .contains("schema  current none, target latest, 1 pending, 0 failed")
                .contains("  pending  1          create customer")
                .contains("data    current 2, target latest, 1 pending, 0 failed")
                .contains("repeatable catalog")
                .contains("(waits for schema 3; the schema target 'latest' reaches 1)")
                .contains("lock    free")
                .contains("  FAILED orders_have_customers        1 violating row, first: [{id=7}]");
    }

    @Test
    void aRunShowsItsOutcomeTheMigrationsAndTheError() {
        RunReport report = new RunReport(
                Instant.EPOCH,
                Duration.ofMillis(42),
                RunReport.Outcome.FAILED,
                List.of(new AppliedMigration(V1, Duration.ofMillis(5))),
                List.of(),
                Optional.of("Schema migration 'V2__x.sql' failed: connect to postgres://app:hunter2@db"));

        String text = render(out -> TextOutput.run(out, MigrationsDescriptor.LastRun.of(Trigger.COMMAND, report)));

        assertThat(text)
                .startsWith("migrator migrate: FAILED in 42 ms")
                .contains("schema: 1 applied")
                .contains("data: 0 applied")
                .contains("V1__create_customer.sql")
                .contains("postgres://app:******@db")
                .doesNotContain("hunter2");
    }

    @Test
    void previewShowsTheSqlOfEachStepWithPasswordsMasked() {
        List<MigrationsDescriptor.PreviewStep> steps = List.of(
                MigrationsDescriptor.PreviewStep.of(
                        new PreviewStep(Track.SCHEMA, V1, Optional.of("CREATE ROLE app LOGIN PASSWORD 'hunter2'"))),
                MigrationsDescriptor.PreviewStep.of(new PreviewStep(
                        Track.DATA,
                        new MigrationEntry(Optional.of("3"), "backfill", "dev.example.D3__Backfill", "JAVA"),
                        Optional.empty())));

        String text = render(out -> TextOutput.preview(out, steps));

        assertThat(text)
                .startsWith("-- migrator preview: 2 migration(s)")
                .contains("-- schema 1 create customer (V1__create_customer.sql)")
                .contains("CREATE ROLE app LOGIN PASSWORD '******'")
                .contains("-- data 3 backfill (dev.example.D3__Backfill)")
                .contains("-- Java migration: named here, not run by preview")
                .doesNotContain("hunter2");
        assertThat(render(out -> TextOutput.preview(out, List.of())))
                .contains("nothing to run, every track is at its target");
    }

    private static String render(Consumer<PrintStream> output) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            output.accept(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
