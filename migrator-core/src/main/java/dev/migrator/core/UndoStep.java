package dev.migrator.core;

import java.util.Objects;
import java.util.Optional;

/**
 * One migration on the path of an undo, in the order the undo takes: the reverse of the order the
 * migrations were applied.
 *
 * @param track the migration's track
 * @param migration the applied migration it undoes
 * @param undo the undo script ({@code U<version>__<description>.sql}), or the class whose
 *     {@code undo} method runs
 * @param transactional whether the undo runs in one transaction with the removal of the history row
 * @param sql the undo script's SQL as it is in the file (placeholders not replaced); empty for Java
 * @since 0.3.0
 */
public record UndoStep(
        Track track, MigrationEntry migration, String undo, boolean transactional, Optional<String> sql) {

    /**
     * Validate the components.
     *
     * @throws NullPointerException when a component is {@code null}
     */
    public UndoStep {
        Objects.requireNonNull(track, "track");
        Objects.requireNonNull(migration, "migration");
        Objects.requireNonNull(undo, "undo");
        Objects.requireNonNull(sql, "sql");
    }
}
