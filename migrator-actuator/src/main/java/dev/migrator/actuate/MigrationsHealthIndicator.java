package dev.migrator.actuate;

import dev.migrator.autoconfigure.descriptor.MigrationsDescriptor;
import dev.migrator.autoconfigure.operations.MigrationSets;
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

    private final MigrationSets sets;

    private final Status pendingStatus;

    /**
     * Create a health indicator.
     *
     * @param operations the operations that read the migration status
     * @param pendingStatus the health status while migrations are pending
     */
    public MigrationsHealthIndicator(MigratorOperations operations, Status pendingStatus) {
        this(new MigrationSets(List.of(operations)), pendingStatus);
    }

    /**
     * Create a health indicator of every migration set: the worst status of all; the default set's
     * details at the top level and each named set's under {@code sets}.
     *
     * @param sets the migration sets
     * @param pendingStatus the health status while migrations are pending
     */
    public MigrationsHealthIndicator(MigrationSets sets, Status pendingStatus) {
        super("Migrations health check failed");
        this.sets = Objects.requireNonNull(sets, "sets");
        this.pendingStatus = Objects.requireNonNull(pendingStatus, "pendingStatus");
    }

    /**
     * Create a health indicator of every migration set.
     *
     * @param sets the migration sets
     * @param properties the health properties
     */
    public MigrationsHealthIndicator(MigrationSets sets, MigratorHealthProperties properties) {
        this(sets, status(properties.getPendingStatus()));
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
        Map<String, Object> details = new LinkedHashMap<>();
        Status status = health(this.sets.defaultSet(), details);
        details.forEach(builder::withDetail);
        if (this.sets.hasNamedSets()) {
            Map<String, Object> named = new LinkedHashMap<>();
            for (MigratorOperations set :
                    this.sets.all().subList(1, this.sets.all().size())) {
                Map<String, Object> setDetails = new LinkedHashMap<>();
                status = worse(status, health(set, setDetails));
                named.put(set.name(), setDetails);
            }
            builder.withDetail("sets", named);
        }
        builder.status(status);
    }

    private Status worse(Status a, Status b) {
        return (rank(b) > rank(a)) ? b : a;
    }

    private int rank(Status status) {
        if (Status.DOWN.equals(status)) {
            return 3;
        }
        return this.pendingStatus.equals(status) ? 2 : Status.UP.equals(status) ? 0 : 1;
    }

    private Status health(MigratorOperations set, Map<String, Object> details) {
        MigrationsDescriptor descriptor;
        try {
            descriptor = set.describe();
        } catch (RuntimeException ex) {
            // Not builder.down(ex): its message goes out masked.
            details.put("error", Redactor.redact(String.valueOf(ex.getMessage())));
            return Status.DOWN;
        }
        Status status = switch (descriptor.status()) {
            case UP_TO_DATE -> Status.UP;
            case PENDING -> this.pendingStatus;
            case FAILED, INVALID -> Status.DOWN;
        };
        details.put("status", descriptor.status().name());
        if (descriptor.schema() != null) {
            details.put("schema", track(descriptor.schema()));
        }
        if (descriptor.data() != null) {
            details.put("data", track(descriptor.data()));
        }
        // Built-in at-target checks fail while work is pending, which has its own status.
        List<String> failedChecks = descriptor.checks().isEmpty()
                ? List.of()
                : set.checks().stream()
                        .filter(check -> !check.passed()
                                && !check.builtIn()
                                        .map(BuiltInCheck::isAtTarget)
                                        .orElse(false))
                        .map(check -> Redactor.redact(check.name() + ": " + check.detail()))
                        .toList();
        if (!failedChecks.isEmpty()) {
            details.put("failedChecks", failedChecks);
        }
        String error = error(descriptor);
        if (error != null) {
            details.put("error", Redactor.redact(error));
        }
        return status;
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
