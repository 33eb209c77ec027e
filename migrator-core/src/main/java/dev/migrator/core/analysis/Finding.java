package dev.migrator.core.analysis;

import java.util.Objects;
import java.util.Optional;

/**
 * What the change analysis found in one migration.
 *
 * @param rule the rule that found it
 * @param severity how much it matters here (a rule's severity can rise with the table's size)
 * @param migration the migration's script or class name
 * @param object the object concerned, such as {@code public.account} or {@code public.account.note}, or
 *     the statement's line for a static rule
 * @param detail what exactly was seen
 * @param allowed the reason a {@code -- migrator:allow} directive (or {@link AllowFinding}) gave, when
 *     the migration allows it; an allowed finding is reported but fails nothing
 * @since 0.2.0
 */
public record Finding(
        Rule rule, Severity severity, String migration, String object, String detail, Optional<String> allowed) {

    /**
     * Validate the components.
     *
     * @throws NullPointerException when a component is {@code null}
     */
    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(migration, "migration");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(allowed, "allowed");
    }

    /**
     * Return whether this finding counts against the migration: it is at least as severe as the
     * given threshold and not allowed.
     *
     * @param threshold the least severity that counts
     * @return whether it counts
     */
    public boolean counts(Severity threshold) {
        return this.allowed.isEmpty() && this.severity.atLeast(threshold);
    }

    /**
     * Describe the finding on one line, with why and the safe form.
     *
     * @return the text
     */
    public String describe() {
        return this.severity + " " + this.rule.id() + " in " + this.migration + " on " + this.object + ": "
                + this.detail + ". " + this.rule.why() + " Safe form: " + this.rule.safeForm()
                + this.allowed.map(reason -> " Allowed: " + reason).orElse("");
    }
}
