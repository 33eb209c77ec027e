package dev.migrator.core.internal.check;

import dev.migrator.core.MigrationEntry;
import dev.migrator.core.MigrationStatus;
import dev.migrator.core.TrackStatus;
import dev.migrator.core.ValidationResult;
import dev.migrator.core.check.BuiltInCheck;
import dev.migrator.core.check.CheckResult;
import dev.migrator.core.check.MigrationCheck;
import dev.migrator.core.internal.jdbc.Connections;
import dev.migrator.core.internal.resource.ResourceScanner;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs the checks: the built-in ones first, then the SQL checks of the checks locations and the
 * Java checks, each in a read-only transaction that is rolled back.
 */
public final class Checks {

    private final Connections connections;

    private final ResourceScanner scanner;

    private final List<String> locations;

    private final Supplier<List<MigrationCheck>> javaChecks;

    public Checks(
            Connections connections,
            ResourceScanner scanner,
            List<String> locations,
            Supplier<List<MigrationCheck>> javaChecks) {
        this.connections = connections;
        this.scanner = scanner;
        this.locations = List.copyOf(locations);
        this.javaChecks = javaChecks;
    }

    /**
     * Run every check. When the applied migrations do not match their files, only that result is
     * returned: the status could not be read.
     *
     * @param validation the validation of both tracks
     * @param status reads the status of both tracks
     * @return one result per check, built-in ones first
     */
    public List<CheckResult> run(ValidationResult validation, Supplier<MigrationStatus> status) {
        List<CheckResult> results = new ArrayList<>();
        results.add(CheckResult.of(
                BuiltInCheck.CHECKSUMS_VALID,
                validation.isValid(),
                validation.isValid()
                        ? "applied migrations match their files"
                        : String.join(" ", validation.problems())));
        if (!validation.isValid()) {
            return results;
        }
        MigrationStatus current = status.get();
        results.add(atTarget(BuiltInCheck.SCHEMA_AT_TARGET, current.schema()));
        results.add(atTarget(BuiltInCheck.DATA_AT_TARGET, current.data()));
        List<MigrationEntry> failed = Stream.concat(
                        current.schema().failed().stream(), current.data().failed().stream())
                .toList();
        results.add(CheckResult.of(
                BuiltInCheck.NO_FAILED_MIGRATIONS,
                failed.isEmpty(),
                failed.isEmpty() ? "no migration is recorded as failed" : "recorded as failed: " + names(failed)));
        List<MigrationCheck> checks = new ArrayList<>(SqlCheck.load(this.scanner, this.locations));
        checks.addAll(this.javaChecks.get());
        for (MigrationCheck check : checks) {
            results.add(run(check));
        }
        return results;
    }

    private static CheckResult atTarget(BuiltInCheck check, TrackStatus status) {
        return status.pending().isEmpty()
                ? CheckResult.of(
                        check, true, "at " + status.current().orElse("no version") + ", target " + status.target())
                : CheckResult.of(check, false, status.pending().size() + " pending: " + names(status.pending()));
    }

    private static String names(List<MigrationEntry> entries) {
        return entries.stream().map(MigrationEntry::displayName).collect(Collectors.joining(", "));
    }

    private CheckResult run(MigrationCheck check) {
        try (Connection connection = this.connections.open()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try {
                return check.run(connection);
            } finally {
                connection.rollback();
                connection.setReadOnly(false);
            }
        } catch (Exception ex) {
            SQLException sqlException = Connections.findSqlException(ex);
            return CheckResult.failed(
                    check.name(),
                    "error: " + Connections.firstLine(sqlException != null ? sqlException : ex)
                            + (sqlException != null && sqlException.getSQLState() != null
                                    ? " (SQL state " + sqlException.getSQLState() + ")"
                                    : ""));
        }
    }
}
