package dev.migrator.core.internal.schema;

import dev.migrator.core.internal.lock.Fence;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.jspecify.annotations.Nullable;

/**
 * Guards each schema migration before it runs. With Flyway's session lock (migrator's default),
 * Flyway holds its own lock on the very session that runs the migrations and writes the history:
 * that session cannot lose the lock and keep working, so a check of the watcher's flag is enough
 * and costs nothing. With Flyway's transactional lock, taken on another connection, the migration
 * checks the fencing token on its own connection, inside its transaction (Flyway runs this event
 * there), so it commits only while the run owns the cluster lock. Either way it remembers which
 * migrations started, which tells what a stopped run applied: Flyway reports no result when a
 * callback stops it.
 */
final class FenceCallback implements Callback {

    private final ThreadLocal<@Nullable Run> run = new ThreadLocal<>();

    private final boolean checkToken;

    /**
     * Create the callback.
     *
     * @param checkToken whether each migration checks the token in its transaction, rather than
     *     the watcher's flag only
     */
    FenceCallback(boolean checkToken) {
        this.checkToken = checkToken;
    }

    private static final class Run {

        private final Fence fence;

        private final List<MigrationInfo> started = new ArrayList<>();

        Run(Fence fence) {
            this.fence = fence;
        }
    }

    /** Run Flyway work on this thread with every migration fenced. */
    <T> T during(Fence fence, Supplier<T> work) {
        this.run.set(new Run(fence));
        try {
            return work.get();
        } finally {
            this.run.remove();
        }
    }

    /** Return the migrations of the current run that completed: all that started, but the last. */
    List<MigrationInfo> completed() {
        Run current = this.run.get();
        if (current == null || current.started.isEmpty()) {
            return List.of();
        }
        return List.copyOf(current.started.subList(0, current.started.size() - 1));
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_EACH_MIGRATE && this.run.get() != null;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        Run current = this.run.get();
        if (current == null) {
            return;
        }
        if (context.getMigrationInfo() != null) {
            current.started.add(context.getMigrationInfo());
        }
        if (!this.checkToken) {
            current.fence.ensureHeld();
            return;
        }
        try {
            current.fence.check(context.getConnection());
        } catch (SQLException ex) {
            throw new IllegalStateException("Could not check the migration lock's fencing token", ex);
        }
    }

    @Override
    public String getCallbackName() {
        return "migrator-fence";
    }
}
