package dev.migrator.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A backfill that has started and whose data migration is not recorded as applied yet: running now
 * (its row is updated with every batch), or stopped and waiting to resume after its last key.
 *
 * @param version the data migration's version (its script for a migration without one)
 * @param name what it walks: the table and the key column, such as {@code public.customer.id}
 * @param rowsDone the rows changed so far, across resumed runs
 * @param batches the batches committed so far
 * @param batchSize the rows of the last batch; with batches sized to time, the size the backfill
 *     has found for its budget; 0 when not recorded
 * @param updatedAt when the last batch committed
 * @since 0.1.0
 */
public record BackfillProgress(
        String version, String name, long rowsDone, long batches, int batchSize, Instant updatedAt) {

    /**
     * Validate the components.
     *
     * @throws NullPointerException when a component is {@code null}
     */
    public BackfillProgress {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
