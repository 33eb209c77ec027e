package dev.migrator.core.analysis;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A rule of the change analysis: its name (as {@code -- migrator:allow <name> <reason>} names it),
 * its severity, why what it finds is dangerous, and the safe form. Observed rules look at what a
 * migration did in the database; static ones read its SQL.
 *
 * @since 0.2.0
 */
public enum Rule {

    /** An existing table was rewritten. */
    TABLE_REWRITE(
            Severity.WARNING,
            true,
            "The table was rewritten (its storage file changed) under an ACCESS EXCLUSIVE lock: every read and"
                    + " write of it waits for the whole rewrite, which takes as long as copying the table.",
            "Add a new column (nullable, no volatile default), fill it with a batched data migration, then switch"
                    + " to it; a type change that PostgreSQL can do without a rewrite (varchar to text, a longer"
                    + " varchar) stays cheap."),

    /** The type of an existing column changed. */
    COLUMN_TYPE_CHANGE(
            Severity.WARNING,
            false,
            "The column's type changed: code of the version still running during a rolling deploy may read or"
                    + " write it with the old type, and most type changes rewrite the table.",
            "Add a column of the new type, write both during one release, fill it with a batched data migration,"
                    + " and drop the old one in a later release."),

    /** An index on an existing table was built inside a transaction. */
    BLOCKING_INDEX_BUILD(
            Severity.WARNING,
            true,
            "An index on an existing table was built without CONCURRENTLY: its SHARE lock blocks every write of"
                    + " the table until the build ends (a unique or primary key constraint builds one too).",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS in a migration of its own, which runs outside a transaction;"
                    + " for a constraint, build the unique index that way and then ADD CONSTRAINT ... USING INDEX."),

    /** An existing index was dropped inside a transaction. */
    BLOCKING_INDEX_DROP(
            Severity.WARNING,
            false,
            "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table: its reads and"
                    + " writes wait behind any query still using it.",
            "DROP INDEX CONCURRENTLY IF EXISTS in a migration of its own."),

    /** A CHECK or foreign key constraint on an existing table was validated as it was added. */
    VALIDATING_CONSTRAINT(
            Severity.WARNING,
            true,
            "The constraint was added and validated at once: validation reads the whole table while the lock of"
                    + " the ALTER TABLE (SHARE ROW EXCLUSIVE for a foreign key, on both tables) blocks writes.",
            "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later migration: validation then"
                    + " takes a lock that lets reads and writes go on."),

    /** An existing column became NOT NULL. */
    NOT_NULL_ADDED(
            Severity.WARNING,
            true,
            "SET NOT NULL reads the whole table under an ACCESS EXCLUSIVE lock to check it, and code of the"
                    + " version still running may write nulls.",
            "ADD CONSTRAINT ... CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a later migration,"
                    + " then SET NOT NULL (PostgreSQL 12+ uses the valid constraint and skips the scan)."),

    /** A NOT NULL column without a default was added to an existing table. */
    REQUIRED_COLUMN(
            Severity.WARNING,
            false,
            "A NOT NULL column without a default fails on a table that has rows, and code of the version still"
                    + " running inserts rows without it.",
            "Add it with a default, or add it nullable, fill it with a batched data migration, then make it NOT"
                    + " NULL the safe way."),

    /** An existing table was dropped. */
    DROP_TABLE(
            Severity.WARNING,
            false,
            "The table and its data are gone, and code of the version still running may use it.",
            "Stop using it in a release first; take a backup (or rename it and drop it later); then drop it in a"
                    + " later migration with a reason: -- migrator:allow drop-table <reason>."),

    /** A column of an existing table was dropped. */
    DROP_COLUMN(
            Severity.WARNING,
            false,
            "The column's data is gone, and code of the version still running may read or write it.",
            "Stop using it in a release first (and back it up if it matters); then drop it in a later migration"
                    + " with a reason: -- migrator:allow drop-column <reason>."),

    /** An existing table was renamed. */
    RENAME_TABLE(
            Severity.WARNING,
            false,
            "Code of the version still running uses the old name and fails.",
            "Create the new table (or a view with the new name), move the code over, and drop the old name in a"
                    + " later release."),

    /** A column of an existing table was renamed. */
    RENAME_COLUMN(
            Severity.WARNING,
            false,
            "Code of the version still running uses the old name and fails.",
            "Add the new column, write both during one release, fill it with a batched data migration, and drop"
                    + " the old one in a later release."),

    /** A new foreign key has no index on its referencing columns. */
    FOREIGN_KEY_WITHOUT_INDEX(
            Severity.WARNING,
            false,
            "Without an index on the referencing columns, every delete or key update of the referenced table"
                    + " reads the whole referencing table, under lock.",
            "Create an index whose leading columns are the foreign key's columns (CONCURRENTLY on an existing"
                    + " table)."),

    /** An ACCESS EXCLUSIVE lock was taken on an existing table. */
    ACCESS_EXCLUSIVE_LOCK(
            Severity.INFO,
            false,
            "Every read and write of the table waits until the migration's transaction ends; migrator's lock"
                    + " timeout bounds the wait for the lock, not the time it is held.",
            "Keep the rest of the transaction short: no long data change or index build after it in the same"
                    + " migration."),

    /** Many rows of an existing table were changed in one transaction. */
    UNBATCHED_DML(
            Severity.WARNING,
            true,
            "Changing many rows in one transaction holds their row locks until it commits, blocks other writers"
                    + " of those rows, bloats the table and can exhaust the statement timeout or the WAL.",
            "A Java data migration with context.backfill(table), which commits in batches and resumes after a"
                    + " crash."),

    /** An UPDATE or DELETE without a WHERE clause. */
    DML_WITHOUT_WHERE(
            Severity.WARNING,
            false,
            "It changes every row of the table, in one transaction.",
            "Add the WHERE clause you mean; to change every row of a large table, use a batched backfill."),

    /** Transaction control inside a migration script. */
    TRANSACTION_CONTROL(
            Severity.ERROR,
            false,
            "migrator and Flyway run each migration in its own transaction: a BEGIN, COMMIT or ROLLBACK in the"
                    + " script commits part of it early or nests, and its history row no longer matches.",
            "Remove it; for work that must commit in parts, use a non-transactional migration or a batched"
                    + " backfill."),

    /** A CONCURRENTLY statement in a script that runs in a transaction. */
    CONCURRENTLY_IN_TRANSACTION(
            Severity.ERROR,
            false,
            "CONCURRENTLY cannot run inside a transaction block: the migration fails.",
            "Put the statement in a migration of its own with -- migrator:no-transaction."),

    /** A script that runs outside a transaction has more than its CONCURRENTLY statements. */
    NON_TRANSACTIONAL_MIX(
            Severity.WARNING,
            false,
            "The script runs outside a transaction because of its CONCURRENTLY statement, so its other"
                    + " statements commit one by one: a failure part-way leaves the first ones applied and the"
                    + " migration recorded as failed.",
            "One CONCURRENTLY statement per migration; the other statements in migrations of their own."),

    /** CREATE INDEX CONCURRENTLY without IF NOT EXISTS. */
    CONCURRENT_INDEX_NOT_IDEMPOTENT(
            Severity.WARNING,
            false,
            "An index build that stops part-way (a timeout, a killed process) leaves an INVALID index behind, and"
                    + " running the migration again fails on its name.",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS, and drop an INVALID left-over first when there is one."),

    /** A versioned migration without an undo. */
    MISSING_UNDO(
            Severity.WARNING,
            false,
            "The migration has no undo: when a release must be rolled back, its reverse is written under pressure,"
                    + " untested, against the production database.",
            "Write U<version>__<description>.sql beside it (undo() on a Java data migration) and check it with"
                    + " MigrationTester.assertReversible() or @MigratorTest(checkUndo = true); for a change that"
                    + " cannot be undone, say why with -- migrator:allow missing-undo <reason> (@Irreversible on a"
                    + " Java data migration).");

    /** Rows above which a table counts as large: findings that block it for a time that grows with it are errors. */
    public static final long LARGE_TABLE_ROWS = 100_000;

    private final Severity severity;

    private final boolean errorOnLargeTable;

    private final String why;

    private final String safeForm;

    Rule(Severity severity, boolean errorOnLargeTable, String why, String safeForm) {
        this.severity = severity;
        this.errorOnLargeTable = errorOnLargeTable;
        this.why = why;
        this.safeForm = safeForm;
    }

    /**
     * Return the rule's name, as directives and reports write it, such as {@code drop-column}.
     *
     * @return the name
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Return the rule's severity on a table of a given size.
     *
     * @param rows the estimated rows of the table, or a negative number when unknown
     * @return the severity: an error on a table of {@link #LARGE_TABLE_ROWS} rows or more for the
     *     rules whose harm grows with the table, else the rule's own
     */
    public Severity severity(long rows) {
        return (this.errorOnLargeTable && rows >= LARGE_TABLE_ROWS) ? Severity.ERROR : this.severity;
    }

    /**
     * Return the rule's severity when the table's size does not change it.
     *
     * @return the severity
     */
    public Severity severity() {
        return this.severity;
    }

    /**
     * Return why what the rule finds is dangerous.
     *
     * @return the reason
     */
    public String why() {
        return this.why;
    }

    /**
     * Return the safe form of what the rule finds.
     *
     * @return the safe form
     */
    public String safeForm() {
        return this.safeForm;
    }

    /**
     * Find a rule by its name.
     *
     * @param id the name, such as {@code drop-column}
     * @return the rule, or empty for an unknown name
     */
    public static Optional<Rule> byId(String id) {
        return Arrays.stream(values()).filter(rule -> rule.id().equals(id)).findFirst();
    }

    /**
     * Return every rule name, for messages.
     *
     * @return the names, comma separated
     */
    public static String ids() {
        return Arrays.stream(values()).map(Rule::id).collect(Collectors.joining(", "));
    }
}
