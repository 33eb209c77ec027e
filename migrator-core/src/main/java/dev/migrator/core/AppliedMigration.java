package dev.migrator.core;

import java.time.Duration;
import java.util.Objects;

/**
 * A migration that a run applied.
 *
 * @param migration the migration
 * @param executionTime how long it ran
 * @since 0.1.0
 */
public record AppliedMigration(MigrationEntry migration, Duration executionTime) {

    /**
     * Validate the components.
     *
     * @throws NullPointerException when a component is {@code null}
     */
    public AppliedMigration {
        Objects.requireNonNull(migration, "migration");
        Objects.requireNonNull(executionTime, "executionTime");
    }
}
