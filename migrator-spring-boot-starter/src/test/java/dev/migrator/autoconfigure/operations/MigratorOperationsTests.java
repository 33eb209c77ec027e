package dev.migrator.autoconfigure.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.AppliedMigration;
import dev.migrator.core.MigrationEntry;
import dev.migrator.core.RunReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A startup run is its two phases, merged into one report. */
class MigratorOperationsTests {

    @Test
    void aStartupRunIsBothPhasesWithTheTimeSpentMigratingNotTheStartupBetween() {
        RunReport schema = report(Instant.parse("2026-01-01T00:00:00Z"), 300, RunReport.Outcome.SUCCESS, "V1", null);
        RunReport data = report(Instant.parse("2026-01-01T00:00:09Z"), 200, RunReport.Outcome.FAILED, "D1", "boom");

        RunReport merged = MigratorOperations.merge(schema, data);

        assertThat(merged.startedAt()).isEqualTo(schema.startedAt());
        assertThat(merged.duration()).isEqualTo(Duration.ofMillis(500));
        assertThat(merged.outcome()).isEqualTo(RunReport.Outcome.FAILED);
        assertThat(merged.error()).contains("boom");
        assertThat(merged.schemaApplied())
                .extracting(a -> a.migration().script())
                .containsExactly("V1");
        assertThat(merged.dataApplied()).extracting(a -> a.migration().script()).containsExactly("D1");
    }

    @Test
    void withoutASchemaPhaseTheDataPhaseIsTheRun() {
        RunReport data = report(Instant.EPOCH, 200, RunReport.Outcome.SUCCESS, "D1", null);

        assertThat(MigratorOperations.merge(null, data)).isSameAs(data);
    }

    private static RunReport report(
            Instant startedAt, long millis, RunReport.Outcome outcome, String script, String error) {
        AppliedMigration applied = new AppliedMigration(
                new MigrationEntry(Optional.of("1"), "m", script, "SQL"), Duration.ofMillis(millis));
        boolean schema = script.startsWith("V");
        return new RunReport(
                startedAt,
                Duration.ofMillis(millis),
                outcome,
                schema ? List.of(applied) : List.of(),
                schema ? List.of() : List.of(applied),
                Optional.ofNullable(error));
    }
}
