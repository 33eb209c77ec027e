package dev.migrator.core.internal.analysis;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the analysis compares before and after a migration, read on the migration's own connection
 * (inside its transaction, so it sees its uncommitted work): the user tables with their storage file
 * and estimated rows, their columns, constraints and indexes, the relation locks the session holds,
 * and the rows its transaction inserted and changed per table.
 *
 * <p>A full read covers every user table. After a migration in a transaction, only the tables it
 * locked can have changed (every change to a table takes a lock held to the end of the transaction),
 * so {@link #touched(Connection, CatalogSnapshot)} reads those alone and keeps the rest: one small
 * query per migration, whatever the size of the schema.
 */
record CatalogSnapshot(
        Map<Long, Table> tables,
        Map<String, Column> columns,
        Map<Long, Constraint> constraints,
        Map<Long, Index> indexes,
        Map<Long, Set<String>> locks,
        Map<Long, Long> rowsChanged,
        Map<Long, Long> rowsInserted,
        Map<Long, Owned> owned) {

    /**
     * What belongs to one table, by key in the snapshot's maps: restricting a snapshot to some
     * tables, or replacing what it knows of them, then costs what those tables hold, not the size of
     * the schema.
     */
    record Owned(Set<String> columns, Set<Long> constraints, Set<Long> indexes) {

        static Owned empty() {
            return new Owned(new HashSet<>(), new HashSet<>(), new HashSet<>());
        }
    }

    private Owned own(long table) {
        return this.owned.computeIfAbsent(table, oid -> Owned.empty());
    }

    private void put(Column column) {
        String key = key(column.table(), column.number());
        this.columns.put(key, column);
        own(column.table()).columns().add(key);
    }

    private void put(Constraint constraint) {
        this.constraints.put(constraint.oid(), constraint);
        own(constraint.table()).constraints().add(constraint.oid());
    }

    private void put(Index index) {
        this.indexes.put(index.oid(), index);
        own(index.table()).indexes().add(index.oid());
    }

    record Table(long oid, String name, String kind, String filenode, long rows) {}

    record Column(long table, int number, String name, String type, boolean notNull, boolean hasDefault) {}

    record Constraint(
            long oid, long table, String name, String type, boolean validated, long references, List<Integer> keys) {}

    record Index(long oid, long table, String name, List<Integer> keys) {}

    /** In a format string: {@code %%} is one {@code %}. */
    private static final String USER_SCHEMA = " n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%%' ";

    /** Locks that come with reading or writing rows only, never with a change of the catalog. */
    private static final Set<String> WEAK_LOCKS = Set.of("AccessShareLock", "RowShareLock", "RowExclusiveLock");

    /**
     * The session's locks on user relations, read once per query (reading {@code pg_locks} is not
     * free); the system catalogs a migration writes (oids below 16384) are left out.
     */
    private static final String HELD = "WITH held AS MATERIALIZED (SELECT l.relation, l.mode FROM pg_locks l"
            + " WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted"
            + " AND l.relation >= 16384) ";

    /** The locks, with the rows the transaction wrote to each table it writes. */
    private static final String LOCKS = "SELECT 'l', h.relation::bigint, 0::bigint, h.mode::text, NULL::text,"
            + " NULL::text, CASE WHEN h.mode = 'RowExclusiveLock' THEN pg_stat_get_xact_tuples_updated(h.relation)"
            + " + pg_stat_get_xact_tuples_deleted(h.relation) ELSE 0 END,"
            + " CASE WHEN h.mode = 'RowExclusiveLock' THEN pg_stat_get_xact_tuples_inserted(h.relation)::text END"
            + " FROM held h";

    /** The parts of the catalog, for the tables a condition on their oid (as {@code %s}) selects. */
    private static final String CATALOG =
            " UNION ALL SELECT 'r', c.oid::bigint, 0, c.relnamespace::regnamespace::text || '.'"
                    + " || quote_ident(c.relname), c.relkind::text, c.relfilenode::text, c.reltuples::bigint, NULL"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'p', 'm') AND" + USER_SCHEMA + "AND %1$s"
                    + " UNION ALL SELECT 'a', a.attrelid::bigint, a.attnum::bigint, a.attname::text,"
                    + " format_type(a.atttypid, a.atttypmod), a.attnotnull::text,"
                    + " (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '')::int, NULL"
                    + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND" + USER_SCHEMA
                    + "AND %1$s"
                    + " UNION ALL SELECT 'c', o.oid::bigint, o.conrelid::bigint, o.conname::text, o.contype::text,"
                    + " o.convalidated::text, o.confrelid::bigint, array_to_string(o.conkey, ',')"
                    + " FROM pg_constraint o JOIN pg_class c ON c.oid = o.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE" + USER_SCHEMA + "AND %1$s"
                    + " UNION ALL SELECT 'x', i.indexrelid::bigint, i.indrelid::bigint, ic.relname::text, NULL, NULL, 0,"
                    + " array_to_string(i.indkey::int2[], ',')"
                    + " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE" + USER_SCHEMA + "AND %1$s";

    /**
     * The tables the session locked with more than ROW EXCLUSIVE, found by oid (no namespace to join),
     * once each however many locks it holds on them: the indexes, sequences and TOAST tables it also
     * locked are left out here, as in a full read.
     */
    private static final String CHANGED = ", changed AS MATERIALIZED (SELECT c.oid, c.relnamespace, c.relname,"
            + " c.relkind, c.relfilenode, c.reltuples FROM pg_class c WHERE c.oid IN (SELECT h.relation FROM held h"
            + " WHERE h.mode NOT IN ('AccessShareLock', 'RowShareLock', 'RowExclusiveLock'))"
            + " AND c.relkind IN ('r', 'p', 'm') AND c.relnamespace <> 'pg_catalog'::regnamespace) ";

    /** The catalog of the changed tables. */
    private static final String CATALOG_OF_CHANGED =
            " UNION ALL SELECT 'r', c.oid::bigint, 0, c.relnamespace::regnamespace::text || '.'"
                    + " || quote_ident(c.relname), c.relkind::text, c.relfilenode::text, c.reltuples::bigint, NULL"
                    + " FROM changed c"
                    + " UNION ALL SELECT 'a', a.attrelid::bigint, a.attnum::bigint, a.attname::text,"
                    + " format_type(a.atttypid, a.atttypmod), a.attnotnull::text,"
                    + " (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '')::int, NULL FROM changed c"
                    + " JOIN pg_attribute a ON a.attrelid = c.oid WHERE c.relkind IN ('r', 'p') AND a.attnum > 0"
                    + " AND NOT a.attisdropped"
                    + " UNION ALL SELECT 'c', o.oid::bigint, o.conrelid::bigint, o.conname::text, o.contype::text,"
                    + " o.convalidated::text, o.confrelid::bigint, array_to_string(o.conkey, ',') FROM changed c"
                    + " JOIN pg_constraint o ON o.conrelid = c.oid"
                    + " UNION ALL SELECT 'x', i.indexrelid::bigint, i.indrelid::bigint, ic.relname::text, NULL, NULL, 0,"
                    + " array_to_string(i.indkey::int2[], ',') FROM changed c JOIN pg_index i ON i.indrelid = c.oid"
                    + " JOIN pg_class ic ON ic.oid = i.indexrelid";

    private static final String FULL = HELD + LOCKS + CATALOG.formatted("true");

    /**
     * Only a lock stronger than ROW EXCLUSIVE can come with a change of the catalog (ALTER, CREATE
     * INDEX, DROP, RENAME take one): a migration that only wrote rows has nothing else to read again.
     */
    private static final String TOUCHED = HELD + CHANGED + LOCKS + CATALOG_OF_CHANGED;

    /** Read the whole user catalog. */
    static CatalogSnapshot take(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(FULL)) {
            return read(statement, empty());
        }
    }

    /**
     * What a migration in a transaction changed: the tables it locked, as they were and as they are,
     * read again only where it took a lock that comes with a change of the catalog.
     *
     * @param before the locked tables as they were (with the locks and rows known before)
     * @param after the locked tables as they are now
     * @param whole the whole catalog as it is now, for the next migration
     */
    record Change(CatalogSnapshot before, CatalogSnapshot after, CatalogSnapshot whole) {}

    /**
     * Read again the tables the session has locked with more than ROW EXCLUSIVE, and return the
     * change; the known catalog is updated in place (it is what {@code known} holds and the next
     * migration starts from), so a migration costs what it touched, not the size of the schema.
     */
    static Change touched(PreparedStatement touched, CatalogSnapshot known) throws SQLException {
        CatalogSnapshot fresh = read(touched, empty());
        Set<Long> locked = fresh.locks.keySet();
        Set<Long> strong = new HashSet<>();
        fresh.locks.forEach((oid, modes) -> {
            if (!WEAK_LOCKS.containsAll(modes)) {
                strong.add(oid);
            }
        });
        CatalogSnapshot before = known.restrictedTo(locked);
        CatalogSnapshot after = before.restrictedTo(locked);
        after.replace(strong, fresh);
        known.replace(strong, fresh);
        CatalogSnapshot afterWithLocks = new CatalogSnapshot(
                after.tables,
                after.columns,
                after.constraints,
                after.indexes,
                fresh.locks,
                fresh.rowsChanged,
                fresh.rowsInserted,
                after.owned);
        CatalogSnapshot whole = new CatalogSnapshot(
                known.tables,
                known.columns,
                known.constraints,
                known.indexes,
                fresh.locks,
                fresh.rowsChanged,
                fresh.rowsInserted,
                known.owned);
        return new Change(before, afterWithLocks, whole);
    }

    private static CatalogSnapshot empty() {
        return new CatalogSnapshot(
                new HashMap<>(),
                new HashMap<>(),
                new HashMap<>(),
                new HashMap<>(),
                Map.of(),
                Map.of(),
                Map.of(),
                new HashMap<>());
    }

    /** A copy of the part of this snapshot about some relations. */
    private CatalogSnapshot restrictedTo(Set<Long> oids) {
        CatalogSnapshot part = empty();
        for (long oid : oids) {
            Table table = this.tables.get(oid);
            if (table != null) {
                part.tables.put(oid, table);
            }
            Owned owned = this.owned.get(oid);
            if (owned != null) {
                owned.columns().forEach(key -> part.put(this.columns.get(key)));
                owned.constraints().forEach(key -> part.put(this.constraints.get(key)));
                owned.indexes().forEach(key -> part.put(this.indexes.get(key)));
            }
        }
        Map<Long, Set<String>> locks = new HashMap<>();
        Map<Long, Long> changed = new HashMap<>();
        Map<Long, Long> inserted = new HashMap<>();
        for (long oid : oids) {
            if (this.locks.containsKey(oid)) {
                locks.put(oid, this.locks.get(oid));
            }
            if (this.rowsChanged.containsKey(oid)) {
                changed.put(oid, this.rowsChanged.get(oid));
            }
            if (this.rowsInserted.containsKey(oid)) {
                inserted.put(oid, this.rowsInserted.get(oid));
            }
        }
        return new CatalogSnapshot(
                part.tables, part.columns, part.constraints, part.indexes, locks, changed, inserted, part.owned);
    }

    /** Replace in place what this snapshot knows of some tables by what another read of them holds. */
    private void replace(Set<Long> oids, CatalogSnapshot fresh) {
        Set<Long> replaced = new HashSet<>(oids);
        replaced.addAll(fresh.tables.keySet());
        for (long oid : replaced) {
            this.tables.remove(oid);
            Owned owned = this.owned.remove(oid);
            if (owned != null) {
                this.columns.keySet().removeAll(owned.columns());
                owned.constraints().forEach(this.constraints::remove);
                owned.indexes().forEach(this.indexes::remove);
            }
        }
        this.tables.putAll(fresh.tables);
        fresh.columns.values().forEach(this::put);
        fresh.constraints.values().forEach(this::put);
        fresh.indexes.values().forEach(this::put);
    }

    /** This snapshot as a new transaction starts: the same catalog, no locks, no rows written yet. */
    CatalogSnapshot inNewTransaction() {
        return new CatalogSnapshot(
                this.tables, this.columns, this.constraints, this.indexes, Map.of(), Map.of(), Map.of(), this.owned);
    }

    /**
     * The name of the server-side prepared query of {@link #touched}: the text's hash in it, so that a
     * connection kept in a pool across a change of the query never runs an older one.
     */
    static final String TOUCHED_NAME = "migrator_analysis_" + Integer.toHexString(TOUCHED.hashCode());

    /** How the query is prepared on the server, exactly as {@code pg_prepared_statements} then shows it. */
    private static final String PREPARE_TOUCHED = "PREPARE " + TOUCHED_NAME + " AS " + TOUCHED;

    /** The planner settings turned off while the query is planned, so that it finds rows by index. */
    private static final List<String> PLAN_BY_INDEX = List.of("enable_seqscan", "enable_hashjoin", "enable_mergejoin");

    /** Read the settings' values, to put back. */
    private static final String READ_PLANNER = "SELECT "
            + String.join(
                    ", ",
                    PLAN_BY_INDEX.stream()
                            .map(name -> "current_setting('" + name + "')")
                            .toList());

    /** Set the settings, each to the value of its parameter. */
    private static final String SET_PLANNER = "SELECT "
            + String.join(
                    ", ",
                    PLAN_BY_INDEX.stream()
                            .map(name -> "set_config('" + name + "', ?, false)")
                            .toList());

    /**
     * Prepare the query of {@link #touched(PreparedStatement, CatalogSnapshot)}, to run once per
     * migration. It is prepared with SQL's {@code PREPARE} once per server session (and kept there,
     * one per connection, for the next run on it): the JDBC driver drops its own server-side
     * statements after every DDL command, so a JDBC-prepared query would be parsed and planned again
     * after each migration, which costs four times what running it does. A prepared statement
     * outlives the transaction it was made in, rolled back or not; the migration connection keeps
     * its server session for the run (a pooler in transaction mode is refused before any work).
     *
     * <p>PostgreSQL keeps the plan until a catalog it reads is invalidated, and a plan made for a
     * small catalog (a new database) reads {@code pg_index} and {@code pg_constraint} whole, after
     * every migration of a run that adds tables by the thousand. So the plan is made at once, with
     * sequential scans and hash and merge joins off: each changed table's rows are then found by
     * index, whatever the size of the catalog; the session's own settings come back right after.
     * When a statistics update of the catalogs invalidates it, PostgreSQL plans it again for the
     * catalog as it has grown.
     */
    static PreparedStatement prepareTouched(Connection connection) throws SQLException {
        boolean prepared;
        try (PreparedStatement known =
                connection.prepareStatement("SELECT EXISTS (SELECT FROM pg_prepared_statements WHERE name = ?)")) {
            known.setString(1, TOUCHED_NAME);
            try (ResultSet rs = known.executeQuery()) {
                prepared = rs.next() && rs.getBoolean(1);
            }
        }
        if (!prepared) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(PREPARE_TOUCHED);
                List<String> own = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery(READ_PLANNER)) {
                    rs.next();
                    for (int i = 1; i <= PLAN_BY_INDEX.size(); i++) {
                        own.add(rs.getString(i));
                    }
                }
                setPlanner(connection, Collections.nCopies(own.size(), "off"));
                try {
                    // Planning it now keeps this plan for the statement.
                    statement.execute("EXPLAIN EXECUTE " + TOUCHED_NAME);
                } finally {
                    setPlanner(connection, own);
                }
            }
        }
        return connection.prepareStatement("EXECUTE " + TOUCHED_NAME);
    }

    private static void setPlanner(Connection connection, List<String> values) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement(SET_PLANNER)) {
            for (int i = 0; i < values.size(); i++) {
                set.setString(i + 1, values.get(i));
            }
            set.execute();
        }
    }

    /** Read what a query returns: the locks and rows written, and the catalog rows it selects. */
    private static CatalogSnapshot read(PreparedStatement statement, CatalogSnapshot into) throws SQLException {
        Map<Long, Set<String>> locks = new HashMap<>();
        Map<Long, Long> rowsChanged = new HashMap<>();
        Map<Long, Long> rowsInserted = new HashMap<>();
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                long oid = rs.getLong(2);
                long sub = rs.getLong(3);
                switch (rs.getString(1)) {
                    case "l" -> {
                        locks.computeIfAbsent(oid, k -> new HashSet<>()).add(rs.getString(4));
                        if (rs.getString(8) != null) {
                            rowsChanged.put(oid, rs.getLong(7));
                            rowsInserted.put(oid, Long.parseLong(rs.getString(8)));
                        }
                    }
                    case "r" ->
                        into.tables.put(
                                oid, new Table(oid, rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7)));
                    case "a" ->
                        into.put(new Column(
                                oid,
                                (int) sub,
                                rs.getString(4),
                                rs.getString(5),
                                "true".equals(rs.getString(6)),
                                rs.getLong(7) == 1));
                    case "c" ->
                        into.put(new Constraint(
                                oid,
                                sub,
                                rs.getString(4),
                                rs.getString(5),
                                "true".equals(rs.getString(6)),
                                rs.getLong(7),
                                keys(rs.getString(8))));
                    case "x" -> into.put(new Index(oid, sub, rs.getString(4), keys(rs.getString(8))));
                    default -> throw new IllegalStateException("Unknown row kind");
                }
            }
        }
        return new CatalogSnapshot(
                into.tables,
                into.columns,
                into.constraints,
                into.indexes,
                locks,
                rowsChanged,
                rowsInserted,
                into.owned);
    }

    static String key(long table, int column) {
        return table + ":" + column;
    }

    private static List<Integer> keys(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(Integer::valueOf).toList();
    }
}
