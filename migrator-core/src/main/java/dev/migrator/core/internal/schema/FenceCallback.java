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
 * Checks the run's fencing token before each schema migration, on the migration's connection and
 * inside its transaction (Flyway runs this event there), so a migration commits only while the run
 * owns the cluster lock. It also remembers which migrations started, which tells what a stopped run
 * applied: Flyway reports no result when a callback stops it.
 */
final class FenceCallback implements Callback {

    private final ThreadLocal<@Nullable Run> run = new ThreadLocal<>();

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
