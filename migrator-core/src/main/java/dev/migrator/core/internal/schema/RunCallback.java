package dev.migrator.core.internal.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.function.Supplier;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.internal.info.MigrationInfoImpl;
import org.jspecify.annotations.Nullable;

/**
 * A Flyway callback that takes part in migrator's runs only: it holds the state of the run going on
 * on this thread, handles the given events of each migration, in its transaction when it has one,
 * and stays out of Flyway work that migrator did not start (status reads, a user's own Flyway calls).
 *
 * @param <R> the state of one run
 */
abstract class RunCallback<R> implements Callback {

    private final ThreadLocal<@Nullable R> run = new ThreadLocal<>();

    private final Set<Event> events;

    RunCallback(Set<Event> events) {
        this.events = Set.copyOf(events);
    }

    /** Run Flyway work on this thread with the given state; {@link #ended(Object)} is told afterwards. */
    final <T> T during(R state, Supplier<T> work) {
        this.run.set(state);
        try {
            return work.get();
        } finally {
            this.run.remove();
            ended(state);
        }
    }

    /** Return the state of the run going on on this thread, if any. */
    final @Nullable R current() {
        return this.run.get();
    }

    /** Release what the run's state holds once the run ends; nothing by default. */
    void ended(R state) {}

    /** Handle an event of a migration of the current run. */
    abstract void handle(Event event, Context context, R state);

    @Override
    public final boolean supports(Event event, Context context) {
        return this.events.contains(event) && this.run.get() != null;
    }

    @Override
    public final boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public final void handle(Event event, Context context) {
        R state = this.run.get();
        if (state != null) {
            handle(event, context, state);
        }
    }

    /**
     * Return whether a migration runs in a transaction: Flyway knows it of its own migrations; for
     * another kind, the connection tells.
     */
    static boolean transactional(@Nullable MigrationInfo migration, Connection connection) throws SQLException {
        return (migration instanceof MigrationInfoImpl impl)
                ? impl.canExecuteInTransaction()
                : !connection.getAutoCommit();
    }
}
