package dev.migrator.core.analysis;

import java.util.List;
import java.util.Optional;

/**
 * From which severity findings fail what checks them: a test template build, the {@code lint}
 * command, a rehearsal.
 *
 * @since 0.2.0
 */
public enum FailOn {

    /** Errors fail. */
    ERROR(Severity.ERROR),

    /** Warnings and errors fail. */
    WARNING(Severity.WARNING),

    /** Every finding fails. */
    INFO(Severity.INFO),

    /** Nothing fails: findings are reported only. */
    NEVER(null);

    private final Severity threshold;

    FailOn(Severity threshold) {
        this.threshold = threshold;
    }

    /**
     * Return the findings that fail: at or above the threshold and not allowed.
     *
     * @param findings the findings
     * @return those that fail, empty when none does
     */
    public List<Finding> failing(List<Finding> findings) {
        return Optional.ofNullable(this.threshold)
                .map(threshold ->
                        findings.stream().filter(f -> f.counts(threshold)).toList())
                .orElse(List.of());
    }
}
