package dev.migrator.core;

import java.util.Objects;
import java.util.Optional;

/**
 * One migration a run would apply now, in the order it would run.
 *
 * @param track the track
 * @param migration the migration
 * @param sql the SQL it would run, credentials masked by the {@link Redactor}; empty for a Java
 *     migration, which is named and not run
 * @since 0.1.0
 */
public record PreviewStep(Track track, MigrationEntry migration, Optional<String> sql) {

    /**
     * Validate the components.
     *
     * @throws NullPointerException when a component is {@code null}
     */
    public PreviewStep {
        Objects.requireNonNull(track, "track");
        Objects.requireNonNull(migration, "migration");
        sql = Redactor.redact(Objects.requireNonNull(sql, "sql"));
    }
}
