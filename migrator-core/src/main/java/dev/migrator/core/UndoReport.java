package dev.migrator.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What an undo did: the migrations it undid, in the order it undid them. An undo that fails throws
 * a {@link MigratorException} instead, naming what it undid before the failure.
 *
 * @param startedAt when the undo started
 * @param duration how long it took, lock wait included
 * @param undone the migrations undone; empty when both tracks were already at or below their targets
 * @param rerun the repeatable schema migrations whose history rows were removed, so that the next
 *     migrate runs them again after the versions it re-applies
 * @since 0.3.0
 */
public record UndoReport(Instant startedAt, Duration duration, List<UndoStep> undone, List<MigrationEntry> rerun) {

    /**
     * Validate the components and copy the lists.
     *
     * @throws NullPointerException when a component is {@code null}
     */
    public UndoReport {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
        undone = List.copyOf(undone);
        rerun = List.copyOf(rerun);
    }
}
