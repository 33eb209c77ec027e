package dev.migrator.core.internal.schema;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Setting;
import dev.migrator.core.SettingNames;
import dev.migrator.core.internal.jdbc.Connections;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.output.ErrorOutput;
import org.flywaydb.core.api.output.MigrateErrorResult;
import org.flywaydb.core.api.output.OperationResult;
import org.flywaydb.core.api.output.errors.FlywayMigrateExceptionToErrorObjectConverter.FlywayMigrateErrorOutputItem;
import org.jspecify.annotations.Nullable;

/**
 * Translates Flyway's failures into migrator's messages, classified by Flyway's error codes
 * ({@link FlywayException#getErrorCode()} and the codes of its error output), never by message text.
 */
final class SchemaFailures {

    private static final Set<CoreErrorCode> FAILED_MIGRATION = Set.of(
            CoreErrorCode.FAILED_VERSIONED_MIGRATION,
            CoreErrorCode.FAILED_REPEATABLE_MIGRATION,
            CoreErrorCode.FAILED_BASELINE_MIGRATION);

    private static final Set<CoreErrorCode> MISMATCH = Set.of(
            CoreErrorCode.VALIDATE_ERROR,
            CoreErrorCode.CHECKSUM_MISMATCH,
            CoreErrorCode.TYPE_MISMATCH,
            CoreErrorCode.DESCRIPTION_MISMATCH,
            CoreErrorCode.APPLIED_VERSIONED_MIGRATION_NOT_RESOLVED,
            CoreErrorCode.APPLIED_REPEATABLE_MIGRATION_NOT_RESOLVED,
            CoreErrorCode.RESOLVED_VERSIONED_MIGRATION_NOT_APPLIED,
            CoreErrorCode.RESOLVED_REPEATABLE_MIGRATION_NOT_APPLIED,
            CoreErrorCode.OUTDATED_REPEATABLE_MIGRATION);

    private final SettingNames names;

    private final String table;

    SchemaFailures(SettingNames names, String table) {
        this.table = table;
        this.names = names;
    }

    /** A failed migration as Flyway's error output describes it, or empty for any other failure. */
    static Optional<MigrateErrorResult> failedMigration(FlywayException ex) {
        OperationResult result = ErrorOutput.toOperationResult(ex);
        if (result instanceof MigrateErrorResult migrate
                && migrate.error instanceof FlywayMigrateErrorOutputItem item
                && item.errorCode() instanceof CoreErrorCode code
                && FAILED_MIGRATION.contains(code)) {
            return Optional.of(migrate);
        }
        return Optional.empty();
    }

    /** Return the file name (or class name) of the migration that failed. */
    static String script(MigrateErrorResult result) {
        return SchemaTrack.fileName(((FlywayMigrateErrorOutputItem) result.error).path(), "unknown");
    }

    /**
     * Describe a migration that failed while it ran.
     *
     * @param ex the failure
     * @param result its error output, from {@link #failedMigration(FlywayException)}
     * @param recordedAsFailed whether the schema history now records the migration as failed, which
     *     PostgreSQL leaves only for a migration that ran outside a transaction
     */
    MigratorException migrationFailed(FlywayException ex, MigrateErrorResult result, boolean recordedAsFailed) {
        FlywayMigrateErrorOutputItem item = (FlywayMigrateErrorOutputItem) result.error;
        SQLException sqlException = Connections.findSqlException(ex);
        String cause = (sqlException != null) ? Connections.firstLine(sqlException) : Connections.firstLine(ex);
        String sqlState = (item.sqlState() != null)
                ? item.sqlState()
                : (sqlException != null) ? sqlException.getSQLState() : null;
        StringBuilder description =
                new StringBuilder("Schema migration '").append(script(result)).append("' failed");
        if (item.lineNumber() != null && item.lineNumber() > 0) {
            description.append(" at line ").append(item.lineNumber());
        }
        description.append(": '").append(cause).append("'");
        if (sqlState != null) {
            description.append(" (SQL state ").append(sqlState).append(")");
        }
        description.append('.');
        String action;
        Optional<String> leftover =
                recordedAsFailed && "42P07".equals(sqlState) ? existingRelation(cause) : Optional.empty();
        if (leftover.isPresent()) {
            // The classic remains of a stopped run: CREATE INDEX CONCURRENTLY does not roll back.
            return new MigratorException(
                    ErrorCode.MIGRATION,
                    description.toString(),
                    "It ran outside a transaction, and '" + leftover.get() + "' is left over from an earlier run"
                            + " of it that was stopped part-way (CREATE INDEX CONCURRENTLY does not roll back; an"
                            + " index it left is INVALID). Drop it (DROP INDEX CONCURRENTLY " + leftover.get()
                            + "), delete the migration's failed row from the schema history (DELETE FROM "
                            + this.table + " WHERE NOT success) and start again.",
                    ex);
        }
        if (recordedAsFailed) {
            action = "It ran outside a transaction, so part of it may be applied and it is recorded as failed in"
                    + " the schema history: undo what it did and delete its failed row (Flyway repair)";
        } else {
            action = "Its transaction was rolled back, so nothing of it is applied";
        }
        action += "; fix the migration and start again.";
        if ("42501".equals(sqlState)) {
            action += " The migration user lacks a privilege: grant it, or run migrations as the schema owner ("
                    + this.names.ownerLogin() + ").";
        }
        return new MigratorException(ErrorCode.MIGRATION, description.toString(), action, ex);
    }

    private static final Pattern EXISTING_RELATION = Pattern.compile("relation \"([^\"]+)\" already exists");

    private static Optional<String> existingRelation(String message) {
        Matcher matcher = EXISTING_RELATION.matcher(message);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** Describe a run stopped by failed migrations recorded in the schema history. */
    MigratorException failedMigrationsRecorded(FlywayException ex, List<String> scripts) {
        return new MigratorException(
                ErrorCode.VALIDATION,
                "The schema history records a failed migration: " + scripts + ".",
                failedRowAction(),
                ex);
    }

    /** What to do about a failed row: a non-transactional migration that stopped part-way left it. */
    String failedRowAction() {
        return "It ran outside a transaction and stopped part-way: undo what it applied (an index it left), delete"
                + " its failed row (DELETE FROM " + this.table + " WHERE NOT success), fix it if it was wrong, and"
                + " start again.";
    }

    /** Translate any other failure of Flyway. */
    MigratorException translate(FlywayException ex) {
        String details = details(ex);
        if (ex.getErrorCode() == CoreErrorCode.DUPLICATE_VERSIONED_MIGRATION) {
            return new MigratorException(
                    ErrorCode.VALIDATION,
                    "Two schema migrations share a version: '" + details + "'.",
                    "Give one of them a new version.",
                    ex);
        }
        if (ex.getErrorCode() == CoreErrorCode.DUPLICATE_REPEATABLE_MIGRATION) {
            return new MigratorException(
                    ErrorCode.VALIDATION,
                    "Two repeatable schema migrations share a description: '" + details + "'.",
                    "Rename one of them.",
                    ex);
        }
        if (ex.getErrorCode() == CoreErrorCode.NON_EMPTY_SCHEMA_WITHOUT_SCHEMA_HISTORY_TABLE) {
            return new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "The schema already holds tables but no schema history: '" + details + "'.",
                    "To adopt it, set " + this.names.quoted(Setting.BASELINE_ON_MIGRATE) + " to true and "
                            + this.names.quoted(Setting.BASELINE_VERSION) + " to the version the existing tables"
                            + " correspond to ('0' to apply every migration, as a second migration set in a shared"
                            + " schema needs); or migrate into an empty schema.",
                    ex);
        }
        if (ex instanceof FlywayValidateException || isCode(ex, MISMATCH)) {
            return validationFailed(ex);
        }
        SQLException sqlException = Connections.findSqlException(ex);
        if (sqlException != null && Connections.isAuthenticationFailure(sqlException)) {
            return Connections.authenticationFailed(sqlException, ex, this.names);
        }
        return new MigratorException(
                ErrorCode.MIGRATION,
                "Schema migration failed: '" + details + "'.",
                "Fix the cause above and start again.",
                ex);
    }

    private static boolean isCode(FlywayException ex, Set<CoreErrorCode> codes) {
        return ex.getErrorCode() instanceof CoreErrorCode code && codes.contains(code);
    }

    private static MigratorException validationFailed(FlywayException ex) {
        // Flyway's message lists each invalid migration on its own lines; keep them, drop its advert lines.
        String details = ex.getMessage()
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .filter(line -> !line.startsWith("Validate failed") && !line.startsWith("Need more flexibility"))
                .collect(Collectors.joining("; "));
        return new MigratorException(
                ErrorCode.VALIDATION,
                "Schema migrations do not match the schema history: '" + details + "'.",
                "An applied migration must not change or disappear: restore the file as it was applied and put"
                        + " the change in a new migration.",
                ex);
    }

    private static String details(@Nullable FlywayException ex) {
        return (ex == null || ex.getMessage() == null)
                ? ""
                : ex.getMessage()
                        .lines()
                        .map(String::strip)
                        .filter(line -> !line.isEmpty())
                        .collect(Collectors.joining("; "));
    }
}
