package dev.migrator.core.internal.schema;

import dev.migrator.core.internal.jdbc.StatementCache;
import dev.migrator.core.internal.timeout.Blocker;
import dev.migrator.core.internal.timeout.BlockerProbe;
import dev.migrator.core.internal.timeout.SessionTimeouts;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.flywaydb.core.api.CoreMigrationType;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.jspecify.annotations.Nullable;

/**
 * Gives each schema migration its session settings: its timeouts, with a sample of who blocks it
 * while it waits, and the driver's statement cache kept across its DDL where that is safe.
 *
 * <p>On a connection of a run with migrator's PostgreSQL support ({@link RunScopedPostgres}), the
 * timeouts are set for the session when a migration first needs them and kept while the next ones
 * need the same: no round trip per migration. A migration outside a transaction (Flyway runs {@code
 * CREATE INDEX CONCURRENTLY} scripts statement by statement in autocommit) sets the longer profile,
 * the next one inside a transaction sets its own again, and the session's own come back before Flyway
 * lets the connection go. What else runs on that session meanwhile is Flyway's bookkeeping and the
 * callbacks of each migration, which ran under its timeouts before too; Flyway runs the callbacks of
 * the whole run ({@code afterMigrate} and the like) on a connection of their own. A try after a lock
 * timeout sets the higher timeout of that try for its transaction only.
 *
 * <p>Elsewhere (Flyway's transactional lock, which runs migrations on a connection of its own) a
 * transactional migration gets its timeouts with {@code set_config(..., true)} in its own
 * transaction, so the connection goes back to the pool unchanged, and a migration outside a
 * transaction gets the longer profile for the session and the session's own values back after it.
 *
 * <p>A SQL migration that does not name the history table keeps the driver's prepared statements
 * across its DDL ({@link StatementCache}): Flyway's bookkeeping after it (the history read and
 * insert, the checks of the table) then runs prepared, instead of being parsed and planned again
 * after every migration.
 */
final class TimeoutCallback extends RunCallback<TimeoutCallback.Tries> {

    private final SessionTimeouts timeouts;

    private final BlockerProbe probe;

    private final String historyTable;

    TimeoutCallback(SessionTimeouts timeouts, BlockerProbe probe, String historyTable) {
        super(Set.of(Event.BEFORE_EACH_MIGRATE, Event.AFTER_EACH_MIGRATE, Event.AFTER_EACH_MIGRATE_ERROR));
        this.timeouts = timeouts;
        this.probe = probe;
        this.historyTable = historyTable.toLowerCase(Locale.ROOT);
    }

    /** The tries of one run: which migration is being tried again, and what its last try saw. */
    static final class Tries {

        private final ScriptTexts scripts;

        private StatementCache.@Nullable Kept kept;

        private @Nullable String retrying;

        private int attempt;

        private List<Blocker> blockers = List.of();

        private SessionTimeouts.@Nullable Profile original;

        private BlockerProbe.@Nullable Watch watch;

        Tries(ScriptTexts scripts) {
            this.scripts = scripts;
        }

        /** Count a failed try of a migration and return the number of the next try, from 0. */
        int failed(MigrationInfo migration) {
            String key = key(migration);
            if (!key.equals(this.retrying)) {
                this.retrying = key;
                this.attempt = 0;
            }
            return ++this.attempt;
        }

        /** Return the sessions seen blocking the last try that ended. */
        List<Blocker> blockers() {
            return this.blockers;
        }

        int attemptOf(@Nullable MigrationInfo migration) {
            return (migration != null && key(migration).equals(this.retrying)) ? this.attempt : 0;
        }

        private static String key(MigrationInfo migration) {
            return Objects.toString(migration.getVersion(), "") + "|" + migration.getScript();
        }
    }

    @Override
    void handle(Event event, Context context, Tries tries) {
        Connection connection = context.getConnection();
        RunScopedPostgres.HeldTimeouts held = RunScopedPostgres.timeouts(connection);
        if (event == Event.BEFORE_EACH_MIGRATE) {
            before(tries, context.getMigrationInfo(), connection, held);
        } else {
            if (held != null && event == Event.AFTER_EACH_MIGRATE_ERROR) {
                held.forget();
            }
            after(tries, connection);
        }
    }

    private void before(
            Tries tries,
            @Nullable MigrationInfo migration,
            Connection connection,
            RunScopedPostgres.@Nullable HeldTimeouts held) {
        try {
            boolean transactional = transactional(migration, connection);
            int attempt = tries.attemptOf(migration);
            SessionTimeouts.Profile profile =
                    transactional ? this.timeouts.transactional(attempt) : this.timeouts.nonTransactional();
            int pid;
            if (held != null && (!transactional || attempt == 0)) {
                pid = held.hold(profile);
            } else {
                if (!transactional) {
                    tries.original = SessionTimeouts.current(connection);
                }
                pid = SessionTimeouts.apply(connection, profile, transactional);
            }
            tries.watch = this.probe.watch(pid, profile.lockTimeout());
            if (keepsStatements(tries, migration)) {
                tries.kept = StatementCache.keepAcrossDdl(connection);
            }
        } catch (SQLException ex) {
            throw new IllegalStateException("Could not set the timeouts of the migration session", ex);
        }
    }

    /** Return whether a migration is a SQL script that does not name the history table. */
    private boolean keepsStatements(Tries tries, @Nullable MigrationInfo migration) {
        if (migration == null || migration.getType() != CoreMigrationType.SQL) {
            return false;
        }
        String text = tries.scripts.of(migration.getScript());
        return text != null && !text.toLowerCase(Locale.ROOT).contains(this.historyTable);
    }

    @Override
    void ended(Tries tries) {
        release(tries);
    }

    private static void release(Tries tries) {
        StatementCache.Kept kept = tries.kept;
        if (kept != null) {
            tries.kept = null;
            kept.close();
        }
    }

    private void after(Tries tries, Connection connection) {
        release(tries);
        BlockerProbe.Watch watch = tries.watch;
        if (watch != null) {
            watch.close();
            tries.blockers = watch.blockers();
            tries.watch = null;
        }
        SessionTimeouts.Profile original = tries.original;
        if (original != null) {
            tries.original = null;
            SessionTimeouts.putBack(connection, original);
        }
    }

    @Override
    public String getCallbackName() {
        return "migrator-timeouts";
    }
}
