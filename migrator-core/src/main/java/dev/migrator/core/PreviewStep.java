package dev.migrator.core;

import dev.migrator.core.analysis.Finding;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One migration a run would apply now, in the order it would run.
 *
 * @param track the track
 * @param migration the migration
 * @param sql the SQL it would run, credentials masked by the {@link Redactor}; empty for a Java
 *     migration, which is named and not run
 * @param findings what the static checks of the change analysis find in its SQL, most severe first
 *     (the observed ones need a run or a rehearsal)
 * @since 0.1.0
 */
public record PreviewStep(Track track, MigrationEntry migration, Optional<String> sql, List<Finding> findings) {

    /**
     * Create a step without findings.
     *
     * @param track the track
     * @param migration the migration
     * @param sql the SQL it would run
     */
    public PreviewStep(Track track, MigrationEntry migration, Optional<String> sql) {
        this(track, migration, sql, List.of());
    }

    /**
     * Validate the components.
     *
     * @throws NullPointerException when a component is {@code null}
     */
    public PreviewStep {
        Objects.requireNonNull(track, "track");
        Objects.requireNonNull(migration, "migration");
        sql = Redactor.redact(Objects.requireNonNull(sql, "sql"));
        findings = List.copyOf(findings);
    }
}
