package dev.migrator.core.analysis;

import java.util.List;
import java.util.Objects;

/**
 * What the change analysis saw one migration do to the objects that existed before it.
 *
 * @param locks the relation locks it took on existing tables and still held when it ended (only a
 *     migration in a transaction holds them), strongest first per table
 * @param rewritten the existing tables it rewrote
 * @param rowsInserted rows its transaction inserted
 * @param rowsChanged rows its transaction updated or deleted
 * @param findings what the rules made of it, most severe first
 * @since 0.2.0
 */
public record Observation(
        List<TableLock> locks, List<String> rewritten, long rowsInserted, long rowsChanged, List<Finding> findings) {

    /**
     * Copy the components.
     *
     * @throws NullPointerException when a component is {@code null}
     */
    public Observation {
        locks = List.copyOf(locks);
        rewritten = List.copyOf(rewritten);
        findings = List.copyOf(findings);
    }

    /**
     * A lock on a table.
     *
     * @param table the table, schema-qualified
     * @param mode the lock mode as {@code pg_locks} names it, such as {@code AccessExclusiveLock}
     * @since 0.2.0
     */
    public record TableLock(String table, String mode) {

        /**
         * Validate the components.
         *
         * @throws NullPointerException when a component is {@code null}
         */
        public TableLock {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(mode, "mode");
        }
    }
}
