package dev.migrator.core;

import java.util.Objects;

/**
 * Thrown by {@link Migrator#migrate()} when a run fails; carries the report of the failed run. Its
 * message and code are those of the failure, which is also its {@linkplain #getCause() cause} (a
 * {@link dev.migrator.core.lock.LockTimeoutException} when the lock was not obtained).
 *
 * @since 0.1.0
 */
public class MigrationFailedException extends MigratorException {

    private final transient RunReport report;

    /**
     * Wrap the failure of a run with its report.
     *
     * @param failure what failed
     * @param report the report of the run, with outcome {@link RunReport.Outcome#FAILED}
     */
    public MigrationFailedException(MigratorException failure, RunReport report) {
        super(failure.code(), failure.description(), failure.action(), failure);
        this.report = Objects.requireNonNull(report, "report");
    }

    /**
     * Return the report of the failed run.
     *
     * @return the report, never {@code null}
     */
    public RunReport report() {
        return this.report;
    }
}
