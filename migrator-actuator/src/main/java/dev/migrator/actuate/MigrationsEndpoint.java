package dev.migrator.actuate;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.migrator.autoconfigure.descriptor.MigrationsDescriptor;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import dev.migrator.autoconfigure.operations.Trigger;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigrationFailedException;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Redactor;
import dev.migrator.core.RunOptions;
import dev.migrator.core.RunReport;
import dev.migrator.core.lock.LockTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The {@code migrations} actuator endpoint: where the database stands ({@code GET
 * /actuator/migrations}), the applied migrations ({@code GET /actuator/migrations/history}), what a
 * run would apply ({@code GET /actuator/migrations/preview}), and a run triggered by hand ({@code
 * POST /actuator/migrations}, which needs {@code management.endpoint.migrations.access=unrestricted}).
 *
 * <p>Error messages and SQL are shown with passwords masked. No method returns {@code null} except
 * {@link #detail(String)} for an unknown detail.
 *
 * @since 0.1.0
 */
@Endpoint(id = "migrations", defaultAccess = Access.READ_ONLY)
public class MigrationsEndpoint {

    /** How long a run triggered through the endpoint waits for another run to release the lock. */
    public static final Duration DEFAULT_LOCK_WAIT_TIMEOUT = Duration.ofSeconds(5);

    private static final int STATUS_CONFLICT = 409;

    private final MigratorOperations operations;

    private final Duration lockWaitTimeout;

    /**
     * Create an endpoint whose runs wait {@link #DEFAULT_LOCK_WAIT_TIMEOUT} for the lock.
     *
     * @param operations the operations that read and run migrations
     */
    public MigrationsEndpoint(MigratorOperations operations) {
        this(operations, DEFAULT_LOCK_WAIT_TIMEOUT);
    }

    /**
     * Create an endpoint.
     *
     * @param operations the operations that read and run migrations
     * @param lockWaitTimeout how long a run waits for another run to release the lock before it
     *     answers 409 Conflict
     */
    public MigrationsEndpoint(MigratorOperations operations, Duration lockWaitTimeout) {
        this.operations = Objects.requireNonNull(operations, "operations");
        this.lockWaitTimeout = Objects.requireNonNull(lockWaitTimeout, "lockWaitTimeout");
    }

    /**
     * Describe where the database stands: both tracks, the lock, the last run and the checks.
     *
     * @return the description
     */
    @ReadOperation
    public Migrations migrations() {
        return new Migrations(this.operations.describe());
    }

    /**
     * Return one detail: {@code history} or {@code preview}.
     *
     * @param detail {@code history} or {@code preview}
     * @return {@link #history()} or {@link #preview()}, or {@code null} (404) for another detail
     */
    @ReadOperation
    public @Nullable OperationResponseBody detail(@Selector String detail) {
        return switch (detail) {
            case "history" -> history();
            case "preview" -> preview();
            default -> null;
        };
    }

    /**
     * Return the applied migrations of both tracks as one timeline, oldest first.
     *
     * @return the history, empty for a fresh database
     */
    public History history() {
        return new History(this.operations.migrator().history().stream()
                .map(MigrationsDescriptor.HistoryEntry::of)
                .toList());
    }

    /**
     * Return what a run would apply now, in order, with the SQL of each SQL migration.
     *
     * @return the steps, empty when every track is at its target
     */
    public Preview preview() {
        return new Preview(this.operations.migrator().preview().stream()
                .map(MigrationsDescriptor.PreviewStep::of)
                .toList());
    }

    /**
     * Run both tracks now, synchronously, under the cluster lock, then the checks. Answers 200 with
     * the run report; 400 when a target is malformed or names no migration; 409 when another run
     * holds the lock past a short wait (nothing is run or recorded then); 500 when the run fails or
     * the database cannot be read. The body is always a {@link RunResponse}.
     *
     * @param schemaTarget the schema target, or {@code null} for the configured one
     * @param dataTarget the data target, or {@code null} for the configured one
     * @return the run report with its status
     */
    @WriteOperation
    public WebEndpointResponse<RunResponse> migrate(@Nullable String schemaTarget, @Nullable String dataTarget) {
        try {
            RunOptions options = RunOptions.defaults().lockWaitTimeout(this.lockWaitTimeout);
            if (schemaTarget != null) {
                options = options.schemaTarget(schemaTarget);
            }
            if (dataTarget != null) {
                options = options.dataTarget(dataTarget);
            }
            RunReport report = this.operations.migrate(Trigger.ENDPOINT, options);
            return response(RunResponse.of(report, checks()), WebEndpointResponse.STATUS_OK);
        } catch (MigrationFailedException ex) {
            if (ex.getCause() instanceof LockTimeoutException) {
                // Refused, not run: the last run and the health of this instance stay as they were.
                return response(RunResponse.notRun(ex.getMessage()), STATUS_CONFLICT);
            }
            return response(RunResponse.of(ex.report(), checks()), failureStatus(ex));
        } catch (MigratorException ex) {
            // Nothing ran: a malformed target, or the database could not be read.
            return response(
                    RunResponse.notRun(ex.getMessage()),
                    (ex.code() == ErrorCode.CONFIGURATION)
                            ? WebEndpointResponse.STATUS_BAD_REQUEST
                            : WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
        }
    }

    private List<MigrationsDescriptor.Check> checks() {
        try {
            return this.operations.checks().stream()
                    .map(MigrationsDescriptor.Check::of)
                    .toList();
        } catch (MigratorException ex) {
            // The run report matters more than the checks; GET shows why they could not run.
            return List.of();
        }
    }

    private static int failureStatus(MigrationFailedException ex) {
        return (ex.code() == ErrorCode.CONFIGURATION)
                ? WebEndpointResponse.STATUS_BAD_REQUEST
                : WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR;
    }

    private static WebEndpointResponse<RunResponse> response(RunResponse body, int status) {
        return new WebEndpointResponse<>(body, status);
    }

    /**
     * The answer to {@code GET /actuator/migrations}: the description, written as itself.
     *
     * @param descriptor where the database stands
     * @since 0.1.0
     */
    public record Migrations(@JsonValue MigrationsDescriptor descriptor) implements OperationResponseBody {}

    /**
     * The answer to {@code GET /actuator/migrations/history}: the entries, written as a JSON array.
     *
     * @param entries the applied migrations of both tracks, oldest first
     * @since 0.1.0
     */
    public record History(@JsonValue List<MigrationsDescriptor.HistoryEntry> entries)
            implements OperationResponseBody {}

    /**
     * The answer to {@code GET /actuator/migrations/preview}: the steps, written as a JSON array.
     *
     * @param steps what a run would apply now, in order
     * @since 0.1.0
     */
    public record Preview(@JsonValue List<MigrationsDescriptor.PreviewStep> steps) implements OperationResponseBody {}

    /**
     * The answer to {@code POST /actuator/migrations}.
     *
     * @param run the report of the run, {@code null} when it did not start (a malformed target, a
     *     lock held by another run)
     * @param checks the check results after the run, empty when it did not start or they could not
     *     run
     * @param error why the run failed or did not start, {@code null} on success
     * @since 0.1.0
     */
    public record RunResponse(
            MigrationsDescriptor.@Nullable LastRun run,
            List<MigrationsDescriptor.Check> checks,
            @Nullable String error) implements OperationResponseBody {

        static RunResponse of(RunReport report, List<MigrationsDescriptor.Check> checks) {
            MigrationsDescriptor.LastRun run = MigrationsDescriptor.LastRun.of(Trigger.ENDPOINT, report);
            return new RunResponse(run, checks, run.error());
        }

        static RunResponse notRun(String error) {
            return new RunResponse(null, List.of(), Redactor.redact(error));
        }
    }
}
