package dev.migrator.actuate;

import dev.migrator.autoconfigure.operations.MigrationRunEvent;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import dev.migrator.core.MigrationStatus;
import dev.migrator.core.RunReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationListener;

/**
 * Micrometer metrics of the migrations of one migration set, every meter tagged {@code set}
 * ({@code default} for the top-level set):
 *
 * <ul>
 *   <li>{@code migrator.runs}, a timer of runs tagged {@code trigger} ({@code startup}, {@code
 *       endpoint}, {@code command}) and {@code outcome} ({@code SUCCESS}, {@code FAILED}); the two
 *       phases of a startup run count as one run;
 *   <li>{@code migrator.migrations.applied}, a counter of applied migrations tagged {@code track}
 *       ({@code schema}, {@code data});
 *   <li>{@code migrator.migrations.pending}, a gauge of pending migrations tagged {@code track}.
 * </ul>
 *
 * <p>Reading the pending gauge never queries the database: it shows a count read in the background
 * once the application has started, after every run of this instance, and when a read finds it
 * older than a maximum age (so runs of other instances or of a migration job show up within that
 * age). Until the first count is read, and while the count cannot be read at all, it is {@code
 * NaN}; a failed read keeps the previous count.
 *
 * @since 0.1.0
 */
public class MigrationsMetrics
        implements ApplicationListener<MigrationRunEvent>, SmartInitializingSingleton, DisposableBean {

    /** How old the pending counts may grow before a read of the gauge refreshes them in the background. */
    public static final Duration DEFAULT_PENDING_MAX_AGE = Duration.ofMinutes(1);

    private static final Logger logger = LoggerFactory.getLogger(MigrationsMetrics.class);

    private final MigratorOperations operations;

    private final String set;

    private final MeterRegistry registry;

    private final Duration pendingMaxAge;

    private final Counter schemaApplied;

    private final Counter dataApplied;

    private final AtomicBoolean refreshing = new AtomicBoolean();

    private final AtomicBoolean refreshRequested = new AtomicBoolean();

    private volatile boolean started;

    private volatile boolean closed;

    private volatile @Nullable Pending pending;

    /**
     * Create the metrics and register them.
     *
     * @param operations the operations whose runs are measured
     * @param registry where the meters go
     */
    public MigrationsMetrics(MigratorOperations operations, MeterRegistry registry) {
        this(operations, registry, DEFAULT_PENDING_MAX_AGE);
    }

    /**
     * Create the metrics and register them.
     *
     * @param operations the operations whose runs are measured
     * @param registry where the meters go
     * @param pendingMaxAge how old the pending counts may grow before a read of the gauge refreshes
     *     them in the background
     */
    public MigrationsMetrics(MigratorOperations operations, MeterRegistry registry, Duration pendingMaxAge) {
        this.operations = Objects.requireNonNull(operations, "operations");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.pendingMaxAge = Objects.requireNonNull(pendingMaxAge, "pendingMaxAge");
        this.set = operations.name();
        this.schemaApplied = applied("schema");
        this.dataApplied = applied("data");
        pendingGauge("schema", false);
        pendingGauge("data", true);
    }

    private Counter applied(String track) {
        return Counter.builder("migrator.migrations.applied")
                .description("Migrations applied by this instance")
                .tag("track", track)
                .tag("set", this.set)
                .register(this.registry);
    }

    private void pendingGauge(String track, boolean data) {
        Gauge.builder("migrator.migrations.pending", this, metrics -> metrics.pending(data))
                .description("Migrations pending, as last read")
                .tag("track", track)
                .tag("set", this.set)
                .register(this.registry);
    }

    @Override
    public void afterSingletonsInstantiated() {
        // Before now, reading the status could create application beans (Java data migrations) off the main thread.
        this.started = true;
        requestRefresh();
    }

    @Override
    public void onApplicationEvent(MigrationRunEvent event) {
        if (!this.set.equals(event.getSet())) {
            return;
        }
        // One event per run; startup publishes both of its phases as one run.
        RunReport report = event.getReport();
        this.schemaApplied.increment(report.schemaApplied().size());
        this.dataApplied.increment(report.dataApplied().size());
        Timer.builder("migrator.runs")
                .description("Migration runs")
                .tag("trigger", event.getTrigger().value())
                .tag("outcome", report.outcome().name())
                .tag("set", this.set)
                .register(this.registry)
                .record(report.duration());
        requestRefresh();
    }

    private double pending(boolean data) {
        Pending pending = this.pending;
        if (pending == null || System.nanoTime() - pending.readAt() > this.pendingMaxAge.toNanos()) {
            requestRefresh();
        }
        if (pending == null) {
            return Double.NaN;
        }
        return data ? pending.data() : pending.schema();
    }

    private void requestRefresh() {
        if (!this.started || this.closed) {
            return;
        }
        this.refreshRequested.set(true);
        if (this.refreshing.compareAndSet(false, true)) {
            Thread thread = new Thread(this::refreshWhileRequested, "migrator-metrics");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void refreshWhileRequested() {
        try {
            while (this.refreshRequested.getAndSet(false) && !this.closed) {
                refresh();
            }
        } finally {
            this.refreshing.set(false);
        }
        if (this.refreshRequested.get()) {
            // Requested after the loop's last look but before this thread let go.
            requestRefresh();
        }
    }

    private void refresh() {
        Pending previous = this.pending;
        try {
            MigrationStatus status = this.operations.migrator().status();
            this.pending = new Pending(
                    status.schema().pending().size(), status.data().pending().size(), System.nanoTime());
        } catch (RuntimeException ex) {
            logger.debug("Could not read the pending migrations for the metrics; keeping the last count", ex);
            // Wait the maximum age before the next try rather than trying on every read.
            this.pending = (previous != null)
                    ? new Pending(previous.schema(), previous.data(), System.nanoTime())
                    : new Pending(Double.NaN, Double.NaN, System.nanoTime());
        }
    }

    @Override
    public void destroy() {
        this.closed = true;
    }

    private record Pending(double schema, double data, long readAt) {}
}
