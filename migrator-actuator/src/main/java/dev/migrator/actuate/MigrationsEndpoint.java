package dev.migrator.actuate;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.migrator.autoconfigure.descriptor.MigrationsDescriptor;
import dev.migrator.autoconfigure.descriptor.Trigger;
import dev.migrator.autoconfigure.operations.MigrationSets;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigrationFailedException;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Redactor;
import dev.migrator.core.RunOptions;
import dev.migrator.core.RunReport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * POST /actuator/migrations}, which needs {@code management.endpoint.migrations.access=unrestricted}),
 * like a rehearsal, an undo and a drift check ({@code POST /actuator/migrations/rehearse}, {@code /undo},
 * {@code /drift}); {@code GET} shows the last drift check of this instance under {@code drift}.
 *
 * <p>With named migration sets, {@code GET} shows the default set at the top level and each named
 * set under {@code sets}; history and preview take {@code ?set=<name>} (the default set otherwise);
 * a {@code POST} runs the set its {@code set} names, or every set in order.
 *
 * <p>Error messages and SQL are shown with passwords masked. No method returns {@code null} except
 * {@link #detail(String, String)} for an unknown detail.
 *
 * @since 0.1.0
 */
@Endpoint(id = "migrations", defaultAccess = Access.READ_ONLY)
public class MigrationsEndpoint {

    /** How long a run triggered through the endpoint waits for another run to release the lock. */
    public static final Duration DEFAULT_LOCK_WAIT_TIMEOUT = Duration.ofSeconds(5);

    private static final int STATUS_CONFLICT = 409;

    private final MigrationSets sets;

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
        this(new MigrationSets(List.of(operations)), lockWaitTimeout);
    }

    /**
     * Create an endpoint of every migration set whose runs wait {@link #DEFAULT_LOCK_WAIT_TIMEOUT}
     * for the lock.
     *
     * @param sets the migration sets
     */
    public MigrationsEndpoint(MigrationSets sets) {
        this(sets, DEFAULT_LOCK_WAIT_TIMEOUT);
    }

    /**
     * Create an endpoint of every migration set.
     *
     * @param sets the migration sets
     * @param lockWaitTimeout how long a run waits for another run to release the lock before it
     *     answers 409 Conflict
     */
    public MigrationsEndpoint(MigrationSets sets, Duration lockWaitTimeout) {
        this.sets = Objects.requireNonNull(sets, "sets");
        this.lockWaitTimeout = Objects.requireNonNull(lockWaitTimeout, "lockWaitTimeout");
    }

    /**
     * Describe where the database stands: both tracks, the lock, the last run and the checks.
     *
     * @return the description
     */
    @ReadOperation
    public Migrations migrations() {
        return new Migrations(this.sets.describe());
    }

    /**
     * Return one detail of one set: {@code history} or {@code preview}.
     *
     * @param detail {@code history} or {@code preview}
     * @param set the migration set, or {@code null} for the default set
     * @return {@link #history(String)} or {@link #preview(String)}, or {@code null} (404) for another
     *     detail or an unknown set
     */
    @ReadOperation
    public @Nullable OperationResponseBody detail(@Selector String detail, @Nullable String set) {
        MigratorOperations operations;
        try {
            operations = (set != null) ? this.sets.get(set) : this.sets.defaultSet();
        } catch (MigratorException ex) {
            return null;
        }
        return switch (detail) {
            case "history" -> history(operations);
            case "preview" -> preview(operations);
            default -> null;
        };
    }

    /**
     * Return the applied migrations of both tracks of a set as one timeline, oldest first.
     *
     * @param set the migration set, or {@code null} for the default set
     * @return the history, empty for a fresh database
     */
    public History history(@Nullable String set) {
        return history((set != null) ? this.sets.get(set) : this.sets.defaultSet());
    }

    private static History history(MigratorOperations operations) {
        return new History(operations.migrator().history().stream()
                .map(MigrationsDescriptor.HistoryEntry::of)
                .toList());
    }

    /**
     * Return what a run of a set would apply now, in order, with the SQL of each SQL migration.
     *
     * @param set the migration set, or {@code null} for the default set
     * @return the steps, empty when every track is at its target
     */
    public Preview preview(@Nullable String set) {
        return preview((set != null) ? this.sets.get(set) : this.sets.defaultSet());
    }

    private static Preview preview(MigratorOperations operations) {
        return new Preview(operations.migrator().preview().stream()
                .map(MigrationsDescriptor.PreviewStep::of)
                .toList());
    }

    /**
     * Run migrations now, synchronously, under the cluster lock, then the checks: the set named by
     * {@code set}, or every set in order. Answers 200 with the run report; 400 when a target is
     * malformed or names no migration, or when targets are given without naming the one set they
     * are for; 404 for an unknown set; 409 when another run holds the lock past a short wait (nothing
     * is run or recorded then); 500 when the run fails or the database cannot be read. The body is
     * a {@link RunResponse} for one set, or a {@link SetsRunResponse} for every set.
     *
     * @param schemaTarget the schema target, or {@code null} for the configured one
     * @param dataTarget the data target, or {@code null} for the configured one
     * @param set the migration set to run, or {@code null} for every set
     * @return the run report with its status
     */
    @WriteOperation
    public WebEndpointResponse<OperationResponseBody> migrate(
            @Nullable String schemaTarget, @Nullable String dataTarget, @Nullable String set) {
        if (set == null && this.sets.hasNamedSets()) {
            if (schemaTarget != null || dataTarget != null) {
                return response(
                        RunResponse.notRun("Targets belong to one migration set: name it with \"set\"."),
                        WebEndpointResponse.STATUS_BAD_REQUEST);
            }
            Map<String, RunResponse> runs = new LinkedHashMap<>();
            int status = WebEndpointResponse.STATUS_OK;
            for (MigratorOperations operations : this.sets.all()) {
                WebEndpointResponse<RunResponse> run = migrate(operations, null, null);
                runs.put(operations.name(), run.getBody());
                status = Math.max(status, run.getStatus());
                if (run.getStatus() != WebEndpointResponse.STATUS_OK) {
                    break;
                }
            }
            return new WebEndpointResponse<>(new SetsRunResponse(runs), status);
        }
        MigratorOperations operations;
        try {
            operations = (set != null) ? this.sets.get(set) : this.sets.defaultSet();
        } catch (MigratorException ex) {
            return response(RunResponse.notRun(ex.getMessage()), WebEndpointResponse.STATUS_NOT_FOUND);
        }
        WebEndpointResponse<RunResponse> run = migrate(operations, schemaTarget, dataTarget);
        return new WebEndpointResponse<>(run.getBody(), run.getStatus());
    }

    /**
     * Rehearse the pending migrations of one set ({@code POST /actuator/migrations/rehearse}), undo
     * applied ones down to targets ({@code POST /actuator/migrations/undo}), or check it for drift
     * ({@code POST /actuator/migrations/drift}).
     *
     * <p>A rehearsal runs every pending migration that runs in a transaction, of both tracks, in one
     * transaction on the database under the cluster lock, observed by the change analysis, and rolls
     * it back. Answers 200 with the {@link RehearsalResponse} (a failed migration included: the
     * rehearsal did its job); 404 for an unknown set; 409 when another run holds the lock past a
     * short wait; 500 when the database cannot be read.
     *
     * <p>An undo returns each track named by {@code schemaTarget} or {@code dataTarget} to that
     * version ({@code 0} for none); a track not named is left as it is. Answers 200 with the
     * {@link UndoResponse}; 400 when no target is given or the path cannot be undone (nothing ran);
     * 404 for an unknown set; 409 when another run holds the lock past a short wait; 500 when an undo
     * fails (what was undone before it is named).
     *
     * <p>A drift check builds the migrations up to the versions the database recorded in a scratch
     * database beside it (the migration login needs {@code CREATEDB}), compares both catalogs and
     * keeps the report, which {@code GET /actuator/migrations} shows from then on. Answers 200 with the
     * {@link DriftResponse}, drift or not; 404 for an unknown set; 500 when the check fails (the
     * scratch database cannot be created, the migrations cannot be built up to the recorded versions).
     *
     * @param action {@code rehearse}, {@code undo} or {@code drift}; another answers 404
     * @param set the migration set, or {@code null} for the default one
     * @param schemaTarget for {@code undo}: the schema version to return to
     * @param dataTarget for {@code undo}: the data version to return to
     * @return the rehearsal or undo with its status
     */
    @WriteOperation
    public WebEndpointResponse<OperationResponseBody> act(
            @Selector String action, @Nullable String set, @Nullable String schemaTarget, @Nullable String dataTarget) {
        if ("undo".equals(action)) {
            return undo(set, schemaTarget, dataTarget);
        }
        if ("drift".equals(action)) {
            return drift(set);
        }
        if (!"rehearse".equals(action)) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        MigratorOperations operations;
        try {
            operations = (set != null) ? this.sets.get(set) : this.sets.defaultSet();
        } catch (MigratorException ex) {
            return new WebEndpointResponse<>(
                    new RehearsalResponse(null, ex.getMessage()), WebEndpointResponse.STATUS_NOT_FOUND);
        }
        try {
            dev.migrator.core.Rehearsal rehearsal =
                    operations.migrator().rehearse(RunOptions.defaults().lockWaitTimeout(this.lockWaitTimeout));
            return new WebEndpointResponse<>(
                    new RehearsalResponse(MigrationsDescriptor.Rehearsal.of(rehearsal), null),
                    WebEndpointResponse.STATUS_OK);
        } catch (MigratorException ex) {
            return new WebEndpointResponse<>(
                    new RehearsalResponse(null, operations.named(ex).getMessage()),
                    (ex.code() == ErrorCode.LOCK_TIMEOUT)
                            ? STATUS_CONFLICT
                            : WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
        }
    }

    private WebEndpointResponse<OperationResponseBody> undo(
            @Nullable String set, @Nullable String schemaTarget, @Nullable String dataTarget) {
        MigratorOperations operations;
        try {
            operations = (set != null) ? this.sets.get(set) : this.sets.defaultSet();
        } catch (MigratorException ex) {
            return new WebEndpointResponse<>(
                    new UndoResponse(null, ex.getMessage()), WebEndpointResponse.STATUS_NOT_FOUND);
        }
        if (schemaTarget == null && dataTarget == null) {
            return new WebEndpointResponse<>(
                    new UndoResponse(
                            null,
                            "Undo needs the version each track returns to: give \"schemaTarget\" and/or"
                                    + " \"dataTarget\" ('0' for none); undo never undoes everything by default."),
                    WebEndpointResponse.STATUS_BAD_REQUEST);
        }
        try {
            // A track the request does not name is left as it is, whatever its configured target.
            RunOptions options = RunOptions.defaults()
                    .lockWaitTimeout(this.lockWaitTimeout)
                    .schemaTarget(schemaTarget != null ? schemaTarget : "latest")
                    .dataTarget(dataTarget != null ? dataTarget : "latest");
            dev.migrator.core.UndoReport report = operations.migrator().undo(options);
            return new WebEndpointResponse<>(
                    new UndoResponse(MigrationsDescriptor.Undo.of(report), null), WebEndpointResponse.STATUS_OK);
        } catch (MigratorException ex) {
            int status = switch (ex.code()) {
                case LOCK_TIMEOUT -> STATUS_CONFLICT;
                case CONFIGURATION, VALIDATION -> WebEndpointResponse.STATUS_BAD_REQUEST;
                default -> WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR;
            };
            return new WebEndpointResponse<>(
                    new UndoResponse(null, operations.named(ex).getMessage()), status);
        }
    }

    private WebEndpointResponse<OperationResponseBody> drift(@Nullable String set) {
        MigratorOperations operations;
        try {
            operations = (set != null) ? this.sets.get(set) : this.sets.defaultSet();
        } catch (MigratorException ex) {
            return new WebEndpointResponse<>(
                    new DriftResponse(null, ex.getMessage()), WebEndpointResponse.STATUS_NOT_FOUND);
        }
        try {
            return new WebEndpointResponse<>(
                    new DriftResponse(MigrationsDescriptor.Drift.of(operations.drift()), null),
                    WebEndpointResponse.STATUS_OK);
        } catch (MigratorException ex) {
            // The operations name the set in the failure already.
            return new WebEndpointResponse<>(
                    new DriftResponse(null, Redactor.redact(ex.getMessage())),
                    WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
        }
    }

    /**
     * The answer to {@code POST /actuator/migrations/drift}.
     *
     * @param drift what the drift check found, {@code null} when it failed
     * @param error why it failed, {@code null} when it ran
     * @since 0.4.0
     */
    public record DriftResponse(
            MigrationsDescriptor.@Nullable Drift drift,
            @Nullable String error) implements OperationResponseBody {}

    /**
     * The answer to {@code POST /actuator/migrations/undo}.
     *
     * @param undo what the undo did, {@code null} when it did not run or failed
     * @param error why it did not run or what failed, {@code null} on success
     * @since 0.3.0
     */
    public record UndoResponse(
            MigrationsDescriptor.@Nullable Undo undo,
            @Nullable String error) implements OperationResponseBody {}

    /**
     * The answer to {@code POST /actuator/migrations/rehearse}.
     *
     * @param rehearsal what the rehearsal saw, {@code null} when it did not run
     * @param error why it did not run, {@code null} when it ran
     * @since 0.2.0
     */
    public record RehearsalResponse(
            MigrationsDescriptor.@Nullable Rehearsal rehearsal,
            @Nullable String error) implements OperationResponseBody {}

    private WebEndpointResponse<RunResponse> migrate(
            MigratorOperations operations, @Nullable String schemaTarget, @Nullable String dataTarget) {
        try {
            RunOptions options = RunOptions.defaults().lockWaitTimeout(this.lockWaitTimeout);
            if (schemaTarget != null) {
                options = options.schemaTarget(schemaTarget);
            }
            if (dataTarget != null) {
                options = options.dataTarget(dataTarget);
            }
            RunReport report = operations.migrate(Trigger.ENDPOINT, options);
            return response(RunResponse.of(report, checks(operations)), WebEndpointResponse.STATUS_OK);
        } catch (MigrationFailedException ex) {
            if (ex.code() == ErrorCode.LOCK_TIMEOUT) {
                // Refused, not run: the last run and the health of this instance stay as they were.
                return response(RunResponse.notRun(ex.getMessage()), STATUS_CONFLICT);
            }
            return response(RunResponse.of(ex.report(), checks(operations)), failureStatus(ex));
        } catch (MigratorException ex) {
            // Nothing ran: a malformed target, or the database could not be read.
            return response(
                    RunResponse.notRun(operations.named(ex).getMessage()),
                    (ex.code() == ErrorCode.CONFIGURATION)
                            ? WebEndpointResponse.STATUS_BAD_REQUEST
                            : WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
        }
    }

    private static List<MigrationsDescriptor.Check> checks(MigratorOperations operations) {
        try {
            return operations.checks().stream()
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

    private static <T> WebEndpointResponse<T> response(T body, int status) {
        return new WebEndpointResponse<>(body, status);
    }

    /**
     * The answer to {@code POST /actuator/migrations} that ran every migration set.
     *
     * @param sets each set's run, in order; the sets after one that failed did not run
     * @since 0.1.0
     */
    public record SetsRunResponse(Map<String, RunResponse> sets) implements OperationResponseBody {}

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
