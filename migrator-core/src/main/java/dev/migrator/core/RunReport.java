package dev.migrator.core;

import dev.migrator.core.analysis.Finding;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one migration run did.
 *
 * @param startedAt when the run started (before waiting for the lock)
 * @param duration how long the run took, lock wait included
 * @param outcome whether the run succeeded
 * @param schemaApplied the schema migrations applied, in order; on failure those applied before it
 * @param dataApplied the data migrations applied, in order; on failure those applied before it
 * @param error the failure message, empty on success
 * @since 0.1.0
 */
public record RunReport(
        Instant startedAt,
        Duration duration,
        Outcome outcome,
        List<AppliedMigration> schemaApplied,
        List<AppliedMigration> dataApplied,
        Optional<String> error) {

    /**
     * Validate and copy the components.
     *
     * @throws NullPointerException when a component is {@code null}
     */
    public RunReport {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(outcome, "outcome");
        schemaApplied = List.copyOf(schemaApplied);
        dataApplied = List.copyOf(dataApplied);
        Objects.requireNonNull(error, "error");
    }

    /**
     * Return what the change analysis found in the migrations this run applied, schema ones first.
     *
     * @return the findings, in the order the migrations ran
     * @since 0.2.0
     */
    public List<Finding> findings() {
        return java.util.stream.Stream.concat(this.schemaApplied.stream(), this.dataApplied.stream())
                .flatMap(applied -> applied.findings().stream())
                .toList();
    }

    /**
     * How a run ended.
     *
     * @since 0.1.0
     */
    public enum Outcome {
        /** Every migration up to the targets is applied. */
        SUCCESS,
        /** The run stopped at a failure; see {@link RunReport#error()}. */
        FAILED
    }
}
