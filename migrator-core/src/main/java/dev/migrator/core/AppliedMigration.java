package dev.migrator.core;

import dev.migrator.core.analysis.Finding;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A migration that a run applied.
 *
 * @param migration the migration
 * @param executionTime how long it ran
 * @param findings what the change analysis found in it, most severe first; empty when analysis is off
 * @since 0.1.0
 */
public record AppliedMigration(MigrationEntry migration, Duration executionTime, List<Finding> findings) {

    /**
     * Create an applied migration without findings.
     *
     * @param migration the migration
     * @param executionTime how long it ran
     */
    public AppliedMigration(MigrationEntry migration, Duration executionTime) {
        this(migration, executionTime, List.of());
    }

    /**
     * Validate the components.
     *
     * @throws NullPointerException when a component is {@code null}
     */
    public AppliedMigration {
        Objects.requireNonNull(migration, "migration");
        Objects.requireNonNull(executionTime, "executionTime");
        findings = List.copyOf(findings);
    }
}
