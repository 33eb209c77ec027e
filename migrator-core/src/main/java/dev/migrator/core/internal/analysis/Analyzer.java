package dev.migrator.core.internal.analysis;

import dev.migrator.core.MigratorException;
import dev.migrator.core.analysis.Finding;
import dev.migrator.core.analysis.Observation;
import dev.migrator.core.analysis.Rule;
import dev.migrator.core.analysis.Severity;
import dev.migrator.core.internal.data.SqlScript;
import java.sql.Connection;
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

    /** What was seen before a migration ran. */
    public static final class Before {

        private final CatalogSnapshot snapshot;

        private final Map<Rule, String> allowed;

        private final @Nullable SqlScript script;

        private final boolean transactional;

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

    /**
     * Take the snapshot before a migration, after reading its allowances (so that a wrong
     * directive stops it before it runs).
     *
     * @param connection the migration's connection, in its transaction when it has one
     * @param allowed the migration's allowances
     * @param script the migration's SQL, for the static checks; {@code null} for a Java migration
     * @param transactional whether the migration runs in a transaction
     */
    public static Before before(
            Connection connection, Map<Rule, String> allowed, @Nullable SqlScript script, boolean transactional)
            throws SQLException {
        return new Before(CatalogSnapshot.take(connection), allowed, script, transactional);
    }

    /**
     * Take the snapshot after the migration and return its findings, most severe first.
     *
     * @param before what was seen before
     * @param connection the migration's connection, still in its transaction when it has one
     * @param migration the migration's name, for the findings
     */
    public static List<Finding> after(Before before, Connection connection, String migration) throws SQLException {
        return observe(before, connection, migration).findings();
    }

    /**
     * Take the snapshot after the migration and return what it did: the locks it holds on tables
     * that existed, the tables it rewrote, the rows it changed, and its findings.
     *
     * @param before what was seen before
     * @param connection the migration's connection, still in its transaction when it has one
     * @param migration the migration's name, for the findings
     */
    public static Observation observe(Before before, Connection connection, String migration) throws SQLException {
        CatalogSnapshot after = CatalogSnapshot.take(connection);
        List<ObservedRules.Seen> seen =
                new ArrayList<>(ObservedRules.compare(before.snapshot, after, before.transactional));
        if (before.script != null) {
            seen.addAll(StaticChecks.check(before.script, before.transactional));
        }
        long inserted = 0;
        long changed = 0;
        for (Map.Entry<Long, Long> rows : after.rowsChanged().entrySet()) {
            changed += rows.getValue() - before.snapshot.rowsChanged().getOrDefault(rows.getKey(), 0L);
        }
        for (Map.Entry<Long, Long> rows : after.rowsInserted().entrySet()) {
            inserted += rows.getValue() - before.snapshot.rowsInserted().getOrDefault(rows.getKey(), 0L);
        }
        List<Observation.TableLock> locks = new ArrayList<>();
        for (CatalogSnapshot.Table table : before.snapshot.tables().values()) {
            Set<String> held = before.snapshot.locks().getOrDefault(table.oid(), Set.of());
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
        for (Finding finding : findings) {
            if (finding.allowed().isEmpty() && finding.severity().atLeast(Severity.WARNING)) {
                logger.warn("Change analysis: {}", finding.describe());
            } else {
                logger.info("Change analysis: {}", finding.describe());
            }
        }
    }
}
