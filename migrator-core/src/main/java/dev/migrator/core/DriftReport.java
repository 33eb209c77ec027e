package dev.migrator.core;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a drift check found: the differences between the live database's catalog and the catalog
 * that its migrations build, up to the versions the live database has recorded. Owners, privileges,
 * comments, statistics, sequence values and rows are not compared, nor are migrator's and Flyway's own
 * tables.
 *
 * @param schemaVersion the schema version the comparison was made at, empty when no schema migration
 *     was applied (or the schema track is off)
 * @param dataVersion the data version the comparison was made at, empty when no data migration was
 *     applied (or the data track is off)
 * @param checkedAt when the live database was read
 * @param differences the differences, ordered by kind and name; empty when there is no drift
 * @since 0.4.0
 */
public record DriftReport(
        Optional<String> schemaVersion, Optional<String> dataVersion, Instant checkedAt, List<Difference> differences) {

    /**
     * Validate and copy the components.
     *
     * @throws NullPointerException when a component is {@code null}
     */
    public DriftReport {
        Objects.requireNonNull(schemaVersion, "schemaVersion");
        Objects.requireNonNull(dataVersion, "dataVersion");
        Objects.requireNonNull(checkedAt, "checkedAt");
        differences = List.copyOf(differences);
    }

    /**
     * Return whether the live database differs from what its migrations build.
     *
     * @return {@code true} when there is at least one difference
     */
    public boolean drifted() {
        return !this.differences.isEmpty();
    }

    /** The kinds of catalog objects a drift check compares. */
    public enum Kind {
        /** A schema (namespace). */
        SCHEMA,
        /** An installed extension and its version; the objects it brings are not listed one by one. */
        EXTENSION,
        /** A table, partitioned table or foreign table, with its persistence, options and partition bound. */
        TABLE,
        /** A column of a table: type, {@code NOT NULL}, default or generation, identity, collation. */
        COLUMN,
        /** A constraint of a table, as {@code pg_get_constraintdef} prints it. */
        CONSTRAINT,
        /** An index, as {@code pg_get_indexdef} prints it, and whether it is valid. */
        INDEX,
        /** A sequence's definition (type, start, increment, bounds, cache, cycle, owner), not its value. */
        SEQUENCE,
        /** A view's query. */
        VIEW,
        /** A materialized view's query. */
        MATERIALIZED_VIEW,
        /** A function, procedure or aggregate, by its whole definition. */
        FUNCTION,
        /** An enum type and its labels in order. */
        ENUM,
        /** A domain: its base type, {@code NOT NULL}, default and constraints. */
        DOMAIN,
        /** A composite or range type. */
        TYPE,
        /** A trigger, as {@code pg_get_triggerdef} prints it, and whether it is enabled. */
        TRIGGER;

        /**
         * Return the kind in words, as the descriptions print it.
         *
         * @return for example {@code materialized view}
         */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /**
     * One difference: an object only the migrations make, one only the live database has, or one
     * whose definition differs. Definitions are as the server prints them ({@code pg_get_*}), so two
     * spellings of the same thing are equal.
     *
     * @param kind what kind of object
     * @param name its qualified name: {@code schema.table.column} for a column, constraint or trigger,
     *     {@code schema.function(argument types)} for a function, {@code schema.name} otherwise
     * @param expected its definition as the migrations build it, or {@code null} when they do not make it
     * @param found its definition in the live database, or {@code null} when the live database lacks it
     * @since 0.4.0
     */
    public record Difference(
            Kind kind,
            String name,
            @Nullable String expected,
            @Nullable String found) {

        private static final int SHOWN = 160;

        /**
         * Validate the components.
         *
         * @throws NullPointerException when the kind or name is {@code null}
         * @throws IllegalArgumentException when both definitions are absent or both are equal
         */
        public Difference {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            if (Objects.equals(expected, found)) {
                throw new IllegalArgumentException("A difference needs two different definitions of " + name);
            }
        }

        /**
         * Describe the difference in one line: what it is, which object, and the definitions when
         * they are short enough to read in a line.
         *
         * @return for example {@code index public.customer_email only in the live database: CREATE INDEX ...}
         */
        public String description() {
            String object = this.kind.label() + " " + this.name;
            if (this.expected == null) {
                return object + " only in the live database: " + shown(this.found);
            }
            if (this.found == null) {
                return object + " missing from the live database; the migrations make it: " + shown(this.expected);
            }
            if (readable(this.expected) && readable(this.found)) {
                return object + " differs: the migrations make '" + this.expected + "', the live database has '"
                        + this.found + "'";
            }
            return object + " differs from what the migrations make (compare its expected and found definitions)";
        }

        private static boolean readable(String definition) {
            return definition.length() <= SHOWN && definition.indexOf('\n') < 0;
        }

        private static String shown(@Nullable String definition) {
            String text = String.valueOf(definition);
            String line = text.lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .reduce((a, b) -> a + " " + b)
                    .orElse("");
            return line.length() <= SHOWN ? line : line.substring(0, SHOWN) + " ...";
        }
    }
}
