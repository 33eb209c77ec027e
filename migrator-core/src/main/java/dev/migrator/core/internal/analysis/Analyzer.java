package dev.migrator.core.internal.analysis;

import dev.migrator.core.MigratorException;
import dev.migrator.core.analysis.Finding;
import dev.migrator.core.analysis.Observation;
import dev.migrator.core.analysis.Rule;
import dev.migrator.core.analysis.Severity;
import dev.migrator.core.internal.data.SqlScript;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observes migrations as they run: a catalog snapshot before, one after in the same transaction,
 * and the script's static checks; the findings come back with the migration's allowances applied.
 * Each snapshot is one query on the migration's own connection.
 */
public final class Analyzer {

    private static final Logger logger = LoggerFactory.getLogger(Analyzer.class);

    private Analyzer() {}

    /**
     * Observes the migrations of one run on one connection. The first migration reads the whole
     * catalog; each later one starts from what the one before left, and after a migration in a
     * transaction only the tables it locked are read again.
     */
    public static final class Session implements AutoCloseable {

        private final boolean oneTransaction;

        private @Nullable CatalogSnapshot last;

        /**
         * The query after each migration, kept prepared on the run's connection: the driver then
         * prepares it on the server, which plans it once instead of once per migration.
         */
        private @Nullable PreparedStatement touched;

        private @Nullable Connection touchedConnection;

        /**
         * Create a session.
         *
         * @param oneTransaction whether the migrations share one transaction (a rehearsal, Flyway's
         *     group mode), so that the locks and rows of one are still there for the next
         */
        public Session(boolean oneTransaction) {
            this.oneTransaction = oneTransaction;
        }

        /**
         * Forget what the last migration left: other work ran on the database since (schema
         * migrations between two data migrations), so the next migration reads the whole catalog.
         */
        public void forget() {
            this.last = null;
        }

        /**
         * Return what is known before a migration, after reading its allowances (so that a wrong
         * directive stops it before it runs).
         *
         * @param connection the migration's connection, in its transaction when it has one
         * @param allowed the migration's allowances
         * @param script the migration's SQL, for the static checks; {@code null} for a Java migration
         * @param transactional whether the migration runs in a transaction
         */
        public Before before(
                Connection connection, Map<Rule, String> allowed, @Nullable SqlScript script, boolean transactional)
                throws SQLException {
            CatalogSnapshot snapshot;
            if (this.last == null) {
                snapshot = CatalogSnapshot.take(connection);
            } else {
                snapshot = this.oneTransaction ? this.last : this.last.inNewTransaction();
            }
            return new Before(snapshot, allowed, script, transactional);
        }

        /**
         * Read what the migration changed and return what it did: the locks it holds on tables that
         * existed, the tables it rewrote, the rows it changed, and its findings.
         *
         * @param before what was known before it
         * @param connection the migration's connection, still in its transaction when it has one
         * @param migration the migration's name, for the findings
         */
        public Observation observe(Before before, Connection connection, String migration) throws SQLException {
            if (!before.transactional) {
                CatalogSnapshot after = CatalogSnapshot.take(connection);
                this.last = after;
                return Analyzer.observe(before, before.snapshot, after, migration);
            }
            CatalogSnapshot.Change change = CatalogSnapshot.touched(touched(connection), before.snapshot);
            this.last = change.whole();
            return Analyzer.observe(before, change.before(), change.after(), migration);
        }

        private PreparedStatement touched(Connection connection) throws SQLException {
            if (this.touched == null || this.touchedConnection != connection) {
                close();
                this.touched = CatalogSnapshot.prepareTouched(connection);
                this.touchedConnection = connection;
            }
            return this.touched;
        }

        /** Release the prepared query; the session can go on and prepares it again. */
        @Override
        public void close() {
            PreparedStatement statement = this.touched;
            this.touched = null;
            this.touchedConnection = null;
            if (statement != null) {
                try {
                    statement.close();
                } catch (SQLException ex) {
                    logger.debug("Could not close the analysis query", ex);
                }
            }
        }
    }

    /** What was known before a migration ran. */
    public static final class Before {

        private final CatalogSnapshot snapshot;

        private final Map<Rule, String> allowed;

        private final @Nullable SqlScript script;

        private final boolean transactional;

        private @Nullable String missingUndo;

        /**
         * Say that the migration has no undo, for the {@code missing-undo} finding.
         *
         * @param version the migration's version, for the finding
         * @return this
         */
        public Before withoutUndo(String version) {
            this.missingUndo = "version " + version;
            return this;
        }

        private Before(
                CatalogSnapshot snapshot,
                Map<Rule, String> allowed,
                @Nullable SqlScript script,
                boolean transactional) {
            this.snapshot = snapshot;
            this.allowed = allowed;
            this.script = script;
            this.transactional = transactional;
        }
    }

    private static Observation observe(Before before, CatalogSnapshot was, CatalogSnapshot after, String migration) {
        List<ObservedRules.Seen> seen = new ArrayList<>(ObservedRules.compare(was, after, before.transactional));
        if (before.script != null) {
            seen.addAll(StaticChecks.check(before.script, before.transactional));
        }
        if (before.missingUndo != null) {
            seen.add(new ObservedRules.Seen(Rule.MISSING_UNDO, -1, before.missingUndo, "no undo"));
        }
        long inserted = 0;
        long changed = 0;
        for (Map.Entry<Long, Long> rows : after.rowsChanged().entrySet()) {
            changed += rows.getValue() - was.rowsChanged().getOrDefault(rows.getKey(), 0L);
        }
        for (Map.Entry<Long, Long> rows : after.rowsInserted().entrySet()) {
            inserted += rows.getValue() - was.rowsInserted().getOrDefault(rows.getKey(), 0L);
        }
        List<Observation.TableLock> locks = new ArrayList<>();
        for (CatalogSnapshot.Table table : was.tables().values()) {
            Set<String> held = was.locks().getOrDefault(table.oid(), Set.of());
            for (String mode : after.locks().getOrDefault(table.oid(), Set.of())) {
                if (!held.contains(mode)) {
                    locks.add(new Observation.TableLock(table.name(), mode));
                }
            }
        }
        locks.sort(Comparator.comparing(Observation.TableLock::table)
                .thenComparing(lock -> -LOCK_ORDER.indexOf(lock.mode())));
        List<String> rewritten = seen.stream()
                .filter(s -> s.rule() == Rule.TABLE_REWRITE)
                .map(ObservedRules.Seen::object)
                .toList();
        return new Observation(locks, rewritten, inserted, changed, findings(seen, before.allowed, migration));
    }

    /** Lock modes, weakest first. */
    private static final List<String> LOCK_ORDER = List.of(
            "AccessShareLock",
            "RowShareLock",
            "RowExclusiveLock",
            "ShareUpdateExclusiveLock",
            "ShareLock",
            "ShareRowExclusiveLock",
            "ExclusiveLock",
            "AccessExclusiveLock");

    /**
     * Return the static findings of a SQL script alone, without a database.
     *
     * @param name the script's name
     * @param sql its text
     * @param transactional whether it runs in a transaction
     */
    public static List<Finding> statically(String name, String sql, boolean transactional) {
        SqlScript script = parse(name, sql);
        if (script == null) {
            return List.of();
        }
        return findings(StaticChecks.check(script, transactional), Allowances.of(name, sql), name);
    }

    /** Parse a schema script for the static checks; {@code null} when migrator's parser cannot read it. */
    public static @Nullable SqlScript parse(String name, String sql) {
        try {
            return SqlScript.parse(name, sql);
        } catch (MigratorException ex) {
            logger.debug("No static checks for {}: {}", name, ex.getMessage());
            return null;
        }
    }

    private static List<Finding> findings(List<ObservedRules.Seen> seen, Map<Rule, String> allowed, String migration) {
        return seen.stream()
                .map(s -> new Finding(
                        s.rule(),
                        s.rule().severity(s.rows()),
                        migration,
                        s.object(),
                        s.detail(),
                        Optional.ofNullable(allowed.get(s.rule()))))
                .sorted((a, b) -> a.severity().compareTo(b.severity()))
                .toList();
    }

    /** Log findings the way a production run reports them: warnings and errors at WARN. */
    public static void log(List<Finding> findings) {
        if (findings.isEmpty()) {
            return;
        }
        // One line per migration: what was found, where; why and the safe form are in lint, rehearse and the README.
        boolean warn = findings.stream()
                .anyMatch(f -> f.allowed().isEmpty() && f.severity().atLeast(Severity.WARNING));
        if (warn ? logger.isWarnEnabled() : logger.isInfoEnabled()) {
            String line = "Change analysis of " + findings.get(0).migration() + ": "
                    + findings.stream()
                            .map(f -> f.severity() + " " + f.rule().id() + " on " + f.object() + " (" + f.detail()
                                    + f.allowed()
                                            .map(reason -> "; allowed: " + reason)
                                            .orElse("") + ")")
                            .collect(java.util.stream.Collectors.joining(", "))
                    + ". --migrator.command=lint shows why and the safe form.";
            if (warn) {
                logger.warn(line);
            } else {
                logger.info(line);
            }
        }
    }
}
