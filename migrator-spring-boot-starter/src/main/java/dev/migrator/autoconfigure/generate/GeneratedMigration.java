package dev.migrator.autoconfigure.generate;

import static dev.migrator.autoconfigure.generate.HibernateDdl.ADD_COLUMN;
import static dev.migrator.autoconfigure.generate.HibernateDdl.ADD_FOREIGN_KEY;
import static dev.migrator.autoconfigure.generate.HibernateDdl.ADD_UNIQUE;
import static dev.migrator.autoconfigure.generate.HibernateDdl.ALTER_TYPE;
import static dev.migrator.autoconfigure.generate.HibernateDdl.CREATE_INDEX;
import static dev.migrator.autoconfigure.generate.HibernateDdl.CREATE_SEQUENCE;
import static dev.migrator.autoconfigure.generate.HibernateDdl.CREATE_TABLE;
import static dev.migrator.autoconfigure.generate.HibernateDdl.unqualified;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The next schema migration, written from what Hibernate would change, in the safe forms of the change analysis where
 * the rewrite is mechanical:
 *
 * <ul>
 *   <li>an index on a table that exists already is built {@code CONCURRENTLY}, in a second migration that runs
 *       outside a transaction, as is a unique constraint (its index built concurrently, then attached with
 *       {@code USING INDEX});
 *   <li>a foreign key on a table that exists already is added {@code NOT VALID} in the first migration and validated
 *       in the second, so that no write waits while the rows are checked.
 * </ul>
 *
 * <p>What is created on a new table stays in the first migration, in one transaction. The first file's header lists
 * what Hibernate cannot know (drops and renames are never generated). Each migration gets an undo script when every
 * statement in it has a mechanical inverse.
 *
 * @param files the files, by name, in the order they are written (the migrations and their undo scripts)
 * @param inTransaction the statements of the first migration, which runs in one transaction
 * @param outsideTransaction the statements of the second migration, each committed on its own
 * @param notes what the header says must be written or checked by hand, one line each
 */
record GeneratedMigration(
        Map<String, String> files, List<String> inTransaction, List<String> outsideTransaction, List<String> notes) {

    private static final Pattern NOT_NULL_WITHOUT_DEFAULT =
            Pattern.compile("(?is)(?!.*\\bdefault\\b).*\\bnot null\\b.*");

    GeneratedMigration {
        files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
        inTransaction = List.copyOf(inTransaction);
        outsideTransaction = List.copyOf(outsideTransaction);
        notes = List.copyOf(notes);
    }

    /**
     * Whether there is nothing to write: the entities match the migrations.
     *
     * @return {@code true} when no file is written
     */
    boolean isEmpty() {
        return this.files.isEmpty();
    }

    /**
     * Write the migration.
     *
     * @param comparison what Hibernate would change, and what no entity maps
     * @param description the description, as it goes into the file names
     * @param after the version the migrations stand at now
     * @param version the version of the first migration
     * @param secondVersion the version of the second one, used when one is needed
     * @return the files, or none when nothing is to change
     */
    static GeneratedMigration of(
            EntityComparison comparison, String description, String after, String version, String secondVersion) {
        Set<String> existing = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        comparison.tables().forEach(table -> existing.add(table));
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        List<String> firstUndo = new ArrayList<>();
        List<String> secondUndo = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        boolean firstReversible = true;
        Map<String, List<String>> added = new LinkedHashMap<>();
        List<String> createdTables = new ArrayList<>();
        for (String statement : comparison.statements()) {
            Matcher m;
            if ((m = CREATE_TABLE.matcher(statement)).matches()) {
                first.add(statement);
                createdTables.add(m.group(1));
                firstUndo.add(0, "drop table " + m.group(1));
            } else if ((m = ADD_COLUMN.matcher(statement)).matches()) {
                String table = m.group(1);
                first.add(statement);
                added.computeIfAbsent(unqualified(table), t -> new ArrayList<>())
                        .add(m.group(2));
                firstUndo.add(0, "alter table " + table + " drop column " + m.group(2));
                if (NOT_NULL_WITHOUT_DEFAULT.matcher(m.group(3)).matches()) {
                    notes.add("column " + unqualified(table) + "." + m.group(2) + " is added NOT NULL without a"
                            + " default: this fails when " + unqualified(table) + " has rows. Add it with a default,"
                            + " or add it nullable, fill it with a data migration and SET NOT NULL in a later one.");
                }
            } else if ((m = CREATE_INDEX.matcher(statement)).matches() && existing.contains(unqualified(m.group(3)))) {
                String unique = (m.group(1) != null) ? "unique " : "";
                second.add("create " + unique + "index concurrently " + m.group(2) + " on " + m.group(3) + " "
                        + m.group(4));
                secondUndo.add(0, "drop index concurrently if exists " + m.group(2));
            } else if ((m = ADD_UNIQUE.matcher(statement)).matches() && existing.contains(unqualified(m.group(1)))) {
                second.add("create unique index concurrently " + m.group(2) + " on " + m.group(1) + " " + m.group(3));
                second.add("alter table " + m.group(1) + " add constraint " + m.group(2) + " unique using index "
                        + m.group(2));
                secondUndo.add(0, "alter table " + m.group(1) + " drop constraint if exists " + m.group(2));
                secondUndo.add(1, "drop index concurrently if exists " + m.group(2));
            } else if ((m = ADD_FOREIGN_KEY.matcher(statement)).matches()
                    && existing.contains(unqualified(m.group(1)))) {
                first.add("alter table " + m.group(1) + " add constraint " + m.group(2) + " " + m.group(3)
                        + " not valid");
                firstUndo.add(0, "alter table " + m.group(1) + " drop constraint " + m.group(2));
                second.add("alter table " + m.group(1) + " validate constraint " + m.group(2));
            } else if ((m = CREATE_SEQUENCE.matcher(statement)).matches()) {
                first.add(statement);
                firstUndo.add(0, "drop sequence " + m.group(1));
            } else if (CREATE_INDEX.matcher(statement).matches()
                    || ADD_UNIQUE.matcher(statement).matches()
                    || ADD_FOREIGN_KEY.matcher(statement).matches()) {
                // On a table this migration creates: empty, so nothing waits; dropped with the table on undo.
                first.add(statement);
            } else {
                if ((m = ALTER_TYPE.matcher(statement)).matches()) {
                    notes.add("column " + unqualified(m.group(1)) + "." + m.group(2) + " changes its type to "
                            + m.group(3) + ": unless PostgreSQL can do it without a rewrite, this rewrites "
                            + unqualified(m.group(1)) + " under a lock that blocks reads and writes. Check it with"
                            + " --migrator.command=lint; on a big table, add a new column and fill it instead.");
                }
                first.add(statement);
                firstReversible = false;
            }
        }
        renames(comparison, added, createdTables, notes);
        if (first.isEmpty() && second.isEmpty()) {
            // Nothing to add; what no entity maps is still worth saying (a field removed from an entity, say).
            return new GeneratedMigration(Map.of(), List.of(), List.of(), notes);
        }
        String firstName = "V" + version + "__" + description + ".sql";
        String secondName = "V" + secondVersion + "__" + description + "_concurrently.sql";
        Map<String, String> files = new LinkedHashMap<>();
        String main = first.isEmpty() ? null : firstName;
        if (main != null) {
            files.put(
                    firstName,
                    header(firstName, after, notes, second.isEmpty() ? null : secondName, firstReversible)
                            + script(first));
            if (firstReversible) {
                files.put("U" + version + "__" + description + ".sql", undoHeader(firstName) + script(firstUndo));
            }
        }
        if (!second.isEmpty()) {
            String name = (main == null) ? firstName : secondName;
            String undoName =
                    "U" + ((main == null) ? version : secondVersion) + "__" + name.substring(name.indexOf("__") + 2);
            String text = (main == null)
                    ? header(name, after, notes, null, true) + concurrentNote() + script(second)
                    : "-- " + name + ": generated by migrator with " + firstName + ". It runs outside a transaction"
                            + " (" + name + ".conf):\n-- each statement commits on its own, so that no write waits"
                            + " while an index is built or a foreign key is checked.\n\n" + script(second);
            files.put(name, text);
            files.put(name + ".conf", "executeInTransaction=false\n");
            files.put(
                    undoName,
                    undoHeader(name)
                            + (secondUndo.isEmpty()
                                    ? "-- Nothing to undo: validating a constraint changes no schema.\n"
                                    : script(secondUndo)));
            files.put(undoName + ".conf", "executeInTransaction=false\n");
        }
        return new GeneratedMigration(files, first, second, notes);
    }

    private static String concurrentNote() {
        return "-- It runs outside a transaction (see its .conf file): each statement commits on its own.\n\n";
    }

    /** Possible renames: a table with both a new column and a column no field maps, a new table beside an unmapped one. */
    private static void renames(
            EntityComparison comparison,
            Map<String, List<String>> added,
            List<String> createdTables,
            List<String> notes) {
        comparison.columnsWithoutField().forEach((table, columns) -> {
            List<String> newColumns = added.getOrDefault(table.toLowerCase(Locale.ROOT), List.of());
            for (String column : columns) {
                if (newColumns.size() == 1 && columns.size() == 1) {
                    notes.add("column " + table + "." + column + ": no field maps it. If the field was renamed to "
                            + newColumns.get(0) + ", replace the ADD COLUMN " + newColumns.get(0)
                            + " below with: ALTER TABLE " + table + " RENAME COLUMN " + column + " TO "
                            + newColumns.get(0) + "; otherwise drop it in a later migration, after a backup, once"
                            + " no code reads it.");
                } else {
                    notes.add("column " + table + "." + column + ": no field maps it. If a field was renamed, write"
                            + " ALTER TABLE " + table + " RENAME COLUMN " + column + " TO <new> instead of its ADD"
                            + " COLUMN below; otherwise drop it in a later migration, after a backup, once no code"
                            + " reads it.");
                }
            }
        });
        for (String table : comparison.tablesWithoutEntity()) {
            if (createdTables.size() == 1 && comparison.tablesWithoutEntity().size() == 1) {
                notes.add("table " + table + ": no entity maps it. If the entity was renamed to "
                        + createdTables.get(0) + ", replace the CREATE TABLE " + createdTables.get(0)
                        + " below with: ALTER TABLE " + table + " RENAME TO " + createdTables.get(0)
                        + "; otherwise drop it in a later migration, after a backup, once no code reads it.");
            } else {
                notes.add("table " + table + ": no entity maps it. If it is no longer used, drop it in a later"
                        + " migration, after a backup.");
            }
        }
    }

    private static String header(String name, String after, List<String> notes, String second, boolean reversible) {
        StringBuilder header = new StringBuilder();
        header.append("-- ")
                .append(name)
                .append(": generated by migrator from the entities (Hibernate's schema update),\n")
                .append("-- against a database built from the migrations up to version ")
                .append(after)
                .append(". Read it before you commit it:\n")
                .append("-- Hibernate adds what is missing. It never drops or renames, and it does not compare"
                        + " nullability,\n-- defaults or check constraints.\n");
        if (notes.isEmpty()) {
            header.append("--\n-- Nothing was found to write by hand: every table and column is mapped.\n");
        } else {
            header.append("--\n-- To write by hand, or to check:\n");
            for (String note : notes) {
                header.append(wrap(note));
            }
        }
        if (second != null) {
            header.append("--\n-- Indexes on existing tables and the check of new foreign keys are in ")
                    .append(second)
                    .append(",\n-- which runs outside a transaction.\n");
        }
        if (!reversible) {
            header.append("--\n-- No undo script was written: a statement below has no mechanical inverse."
                    + " Write U<version>__...sql by hand.\n");
        }
        return header.append('\n').toString();
    }

    private static String wrap(String note) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder("--   ");
        for (String word : note.split(" ")) {
            if (line.length() + word.length() > 110 && line.length() > 7) {
                out.append(line.toString().stripTrailing()).append('\n');
                line = new StringBuilder("--     ");
            }
            line.append(word).append(' ');
        }
        return out.append(line.toString().stripTrailing()).append('\n').toString();
    }

    private static String undoHeader(String name) {
        return "-- Undo of " + name + ", generated by migrator: run by --migrator.command=undo.\n\n";
    }

    private static String script(List<String> statements) {
        StringBuilder script = new StringBuilder();
        for (String statement : statements) {
            script.append(statement).append(";\n");
        }
        return script.toString();
    }
}
