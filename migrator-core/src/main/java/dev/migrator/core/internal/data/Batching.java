package dev.migrator.core.internal.data;

import java.time.Duration;

/**
 * How a backfill sizes its batches: it starts at {@code start} rows, and with a time budget it
 * resizes each next batch so that a batch takes about {@code time}, never above {@code max} rows;
 * without one ({@link Duration#ZERO}) every batch holds {@code start} rows.
 *
 * @param start the rows of the first batch
 * @param max the most rows a batch holds
 * @param time how long a batch should take; zero for fixed batches
 */
public record Batching(int start, int max, Duration time) {

    /** Return whether batches are sized to a time budget. */
    public boolean timed() {
        return !this.time.isZero();
    }
}
