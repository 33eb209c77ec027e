package dev.migrator.actuate;

import dev.migrator.autoconfigure.descriptor.MigrationsDescriptor;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import dev.migrator.core.Redactor;
import dev.migrator.core.check.BuiltInCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the migrations, shown as the {@code migrations} component: {@code DOWN} on a failed
 * migration, an applied migration that does not match its file, a failing check or a failed last
 * run; a configurable status (by default {@code OUT_OF_SERVICE}) while migrations are pending;
 * {@code UP} otherwise. Details carry the current version and the pending and failed counts of
 * both tracks, and the error if there is one.
 *
 * @since 0.1.0
 */
public class MigrationsHealthIndicator extends AbstractHealthIndicator {

    private final MigratorOperations operations;

    private final Status pendingStatus;

    /**
     * Create a health indicator.
     *
     * @param operations the operations that read the migration status
     * @param pendingStatus the health status while migrations are pending
     */
    public MigrationsHealthIndicator(MigratorOperations operations, Status pendingStatus) {
        super("Migrations health check failed");
        this.operations = Objects.requireNonNull(operations, "operations");
        this.pendingStatus = Objects.requireNonNull(pendingStatus, "pendingStatus");
    }

    /**
     * Create a health indicator.
     *
     * @param operations the operations that read the migration status
     * @param properties the health properties
     */
    public MigrationsHealthIndicator(MigratorOperations operations, MigratorHealthProperties properties) {
        this(operations, status(properties.getPendingStatus()));
    }

    private static Status status(String code) {
        return new Status(code.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        MigrationsDescriptor descriptor;
        try {
            descriptor = this.operations.describe();
        } catch (RuntimeException ex) {
            // Not builder.down(ex): its message goes out masked.
            builder.down().withDetail("error", Redactor.redact(String.valueOf(ex.getMessage())));
            return;
        }
        builder.status(
                switch (descriptor.status()) {
                    case UP_TO_DATE -> Status.UP;
                    case PENDING -> this.pendingStatus;
                    case FAILED, INVALID -> Status.DOWN;
                });
        builder.withDetail("status", descriptor.status().name());
        if (descriptor.schema() != null) {
            builder.withDetail("schema", track(descriptor.schema()));
        }
        if (descriptor.data() != null) {
            builder.withDetail("data", track(descriptor.data()));
        }
        // Built-in at-target checks fail while work is pending, which has its own status.
        List<String> failedChecks = descriptor.checks().isEmpty()
                ? List.of()
                : this.operations.checks().stream()
                        .filter(check -> !check.passed()
                                && !check.builtIn()
                                        .map(BuiltInCheck::isAtTarget)
                                        .orElse(false))
                        .map(check -> Redactor.redact(check.name() + ": " + check.detail()))
                        .toList();
        if (!failedChecks.isEmpty()) {
            builder.withDetail("failedChecks", failedChecks);
        }
        String error = error(descriptor);
        if (error != null) {
            builder.withDetail("error", Redactor.redact(error));
        }
    }

    private static Map<String, Object> track(MigrationsDescriptor.Track track) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (track.current() != null) {
            details.put("current", track.current());
        }
        details.put("target", track.target());
        details.put("pending", track.pending().size());
        details.put("failed", track.failed().size());
        return details;
    }

    private static @Nullable String error(MigrationsDescriptor descriptor) {
        if (descriptor.error() != null) {
            return descriptor.error();
        }
        MigrationsDescriptor.LastRun lastRun = descriptor.lastRun();
        if (lastRun != null && lastRun.error() != null) {
            return lastRun.error();
        }
        return null;
    }
}
