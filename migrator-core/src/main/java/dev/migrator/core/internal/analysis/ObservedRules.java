package dev.migrator.core.internal.analysis;

import dev.migrator.core.analysis.Rule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns what a migration did to objects that existed before it into findings: a pure function of
 * the snapshots before and after it.
 */
final class ObservedRules {

    /** Rows changed in one transaction on an existing table from which the change is a finding. */
    static final long UNBATCHED_ROWS = 10_000;

    private ObservedRules() {}

    /** A finding before the migration's allowances are applied. */
    record Seen(Rule rule, long rows, String object, String detail) {}

    /**
     * Compare the snapshots.
     *
     * @param before the snapshot before the migration
     * @param after the snapshot after it, in the same transaction when it has one
     * @param inTransaction whether the migration ran in a transaction, so that its locks are still held
     */
    static List<Seen> compare(CatalogSnapshot before, CatalogSnapshot after, boolean inTransaction) {
        List<Seen> seen = new ArrayList<>();
        for (CatalogSnapshot.Table table : before.tables().values()) {
            CatalogSnapshot.Table now = after.tables().get(table.oid());
            if (now == null) {
                seen.add(new Seen(Rule.DROP_TABLE, table.rows(), table.name(), "dropped"));
                continue;
            }
            if (!now.name().equals(table.name())) {
                seen.add(new Seen(Rule.RENAME_TABLE, table.rows(), table.name(), "renamed to " + now.name()));
            }
            if (!now.filenode().equals(table.filenode()) && !"0".equals(table.filenode())) {
                seen.add(new Seen(
                        Rule.TABLE_REWRITE,
                        table.rows(),
                        now.name(),
                        "rewritten" + (table.rows() > 0 ? " (about " + table.rows() + " rows)" : "")));
            }
            if (inTransaction
                    && held(after, table.oid(), "AccessExclusiveLock")
                    && !held(before, table.oid(), "AccessExclusiveLock")) {
                seen.add(new Seen(Rule.ACCESS_EXCLUSIVE_LOCK, table.rows(), now.name(), "ACCESS EXCLUSIVE lock taken"));
            }
            long changed = after.rowsChanged().getOrDefault(table.oid(), 0L)
                    - before.rowsChanged().getOrDefault(table.oid(), 0L);
            if (inTransaction && changed >= UNBATCHED_ROWS) {
                seen.add(new Seen(
                        Rule.UNBATCHED_DML,
                        table.rows(),
                        now.name(),
                        changed + " rows updated or deleted in one transaction"));
            }
        }
        columns(before, after, seen);
        constraints(before, after, seen);
        indexes(before, after, inTransaction, seen);
        return seen;
    }

    private static void columns(CatalogSnapshot before, CatalogSnapshot after, List<Seen> seen) {
        for (CatalogSnapshot.Column column : before.columns().values()) {
            CatalogSnapshot.Table table = after.tables().get(column.table());
            if (table == null) {
                continue;
            }
            long rows = before.tables().get(column.table()).rows();
            String name = table.name() + "." + column.name();
            CatalogSnapshot.Column now = after.columns().get(CatalogSnapshot.key(column.table(), column.number()));
            if (now == null) {
                seen.add(new Seen(Rule.DROP_COLUMN, rows, name, "dropped"));
                continue;
            }
            if (!now.name().equals(column.name())) {
                seen.add(new Seen(Rule.RENAME_COLUMN, rows, name, "renamed to " + now.name()));
            }
            if (!now.type().equals(column.type())) {
                seen.add(new Seen(
                        Rule.COLUMN_TYPE_CHANGE,
                        rows,
                        name,
                        "type changed from " + column.type() + " to " + now.type()));
            }
            if (now.notNull() && !column.notNull()) {
                seen.add(new Seen(Rule.NOT_NULL_ADDED, rows, name, "SET NOT NULL"));
            }
        }
        for (CatalogSnapshot.Column column : after.columns().values()) {
            CatalogSnapshot.Table existing = before.tables().get(column.table());
            if (existing != null
                    && !before.columns().containsKey(CatalogSnapshot.key(column.table(), column.number()))
                    && column.notNull()
                    && !column.hasDefault()) {
                seen.add(new Seen(
                        Rule.REQUIRED_COLUMN,
                        existing.rows(),
                        after.tables().get(column.table()).name() + "." + column.name(),
                        "NOT NULL column without a default added"));
            }
        }
    }

    private static void constraints(CatalogSnapshot before, CatalogSnapshot after, List<Seen> seen) {
        for (CatalogSnapshot.Constraint constraint : after.constraints().values()) {
            if (before.constraints().containsKey(constraint.oid())) {
                continue;
            }
            CatalogSnapshot.Table table = after.tables().get(constraint.table());
            String tableName = (table == null) ? "?" : table.name();
            CatalogSnapshot.Table existing = before.tables().get(constraint.table());
            boolean checked = constraint.type().equals("c") || constraint.type().equals("f");
            if (existing != null && checked && constraint.validated()) {
                seen.add(new Seen(
                        Rule.VALIDATING_CONSTRAINT,
                        existing.rows(),
                        tableName,
                        (constraint.type().equals("f") ? "foreign key " : "check constraint ") + constraint.name()
                                + " added and validated at once"));
            }
            if (constraint.type().equals("f") && !indexed(after, constraint)) {
                seen.add(new Seen(
                        Rule.FOREIGN_KEY_WITHOUT_INDEX,
                        existing == null ? -1 : existing.rows(),
                        tableName,
                        "foreign key " + constraint.name() + " on " + columnNames(after, constraint)
                                + " has no index on those columns"));
            }
        }
    }

    private static boolean indexed(CatalogSnapshot after, CatalogSnapshot.Constraint foreignKey) {
        Set<Integer> keys = new HashSet<>(foreignKey.keys());
        for (CatalogSnapshot.Index index : after.indexes().values()) {
            if (index.table() == foreignKey.table()
                    && index.keys().size() >= keys.size()
                    && new HashSet<>(index.keys().subList(0, keys.size())).equals(keys)) {
                return true;
            }
        }
        return false;
    }

    private static String columnNames(CatalogSnapshot after, CatalogSnapshot.Constraint constraint) {
        List<String> names = new ArrayList<>();
        for (int key : constraint.keys()) {
            names.add(Optional.ofNullable(after.columns().get(CatalogSnapshot.key(constraint.table(), key)))
                    .map(CatalogSnapshot.Column::name)
                    .orElse("#" + key));
        }
        return "(" + String.join(", ", names) + ")";
    }

    private static void indexes(CatalogSnapshot before, CatalogSnapshot after, boolean inTransaction, List<Seen> seen) {
        if (!inTransaction) {
            return;
        }
        for (CatalogSnapshot.Index index : after.indexes().values()) {
            CatalogSnapshot.Table existing = before.tables().get(index.table());
            if (existing != null && !before.indexes().containsKey(index.oid()) && !named(before, index)) {
                seen.add(new Seen(
                        Rule.BLOCKING_INDEX_BUILD,
                        existing.rows(),
                        existing.name(),
                        "index " + index.name() + " built in a transaction"));
            }
        }
        for (CatalogSnapshot.Index index : before.indexes().values()) {
            CatalogSnapshot.Table table = after.tables().get(index.table());
            if (table != null && !after.indexes().containsKey(index.oid()) && !named(after, index)) {
                seen.add(new Seen(
                        Rule.BLOCKING_INDEX_DROP,
                        before.tables().get(index.table()) == null
                                ? -1
                                : before.tables().get(index.table()).rows(),
                        table.name(),
                        "index " + index.name() + " dropped in a transaction"));
            }
        }
    }

    /** Whether the snapshot has an index of that name on that table: one a table rewrite rebuilt. */
    private static boolean named(CatalogSnapshot snapshot, CatalogSnapshot.Index index) {
        return snapshot.indexes().values().stream()
                .anyMatch(
                        other -> other.table() == index.table() && other.name().equals(index.name()));
    }

    private static boolean held(CatalogSnapshot snapshot, long table, String mode) {
        return snapshot.locks().getOrDefault(table, Set.of()).contains(mode);
    }
}
