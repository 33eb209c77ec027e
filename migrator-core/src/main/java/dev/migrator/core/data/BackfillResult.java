package dev.migrator.core.data;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link Backfill} did in this run (a resumed backfill counts only the ranges of this run).
 *
 * @param rows the rows changed
 * @param batches the ranges processed
 * @param duration how long the walk took
 * @param longestBatch the longest single range, that is the longest time its row locks were held
 * @since 0.1.0
 */
public record BackfillResult(long rows, long batches, Duration duration, Duration longestBatch) {

    /**
     * Validate the components.
     *
     * @throws NullPointerException when a duration is {@code null}
     */
    public BackfillResult {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(longestBatch, "longestBatch");
    }
}
