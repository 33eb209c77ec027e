package dev.migrator.core.internal.schema;

import dev.migrator.core.internal.lock.Fence;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

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
final class FenceCallback extends RunCallback<FenceCallback.Run> {

    private final boolean checkToken;

    /**
     * Create the callback.
     *
     * @param checkToken whether each migration checks the token in its transaction, rather than
     *     the watcher's flag only
     */
    FenceCallback(boolean checkToken) {
        super(Set.of(Event.BEFORE_EACH_MIGRATE));
        this.checkToken = checkToken;
    }

    static final class Run {

        private final Fence fence;

        private final List<MigrationInfo> started = new ArrayList<>();

        Run(Fence fence) {
            this.fence = fence;
        }
    }

    /** Run Flyway work on this thread with every migration fenced. */
    <T> T during(Fence fence, Supplier<T> work) {
        return during(new Run(fence), work);
    }

    /** Return the migrations of the current run that completed: all that started, but the last. */
    List<MigrationInfo> completed() {
        Run current = current();
        if (current == null || current.started.isEmpty()) {
            return List.of();
        }
        return List.copyOf(current.started.subList(0, current.started.size() - 1));
    }

    @Override
    void handle(Event event, Context context, Run current) {
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
