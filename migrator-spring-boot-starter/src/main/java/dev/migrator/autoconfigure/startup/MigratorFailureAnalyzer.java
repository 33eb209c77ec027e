package dev.migrator.autoconfigure.startup;

import dev.migrator.core.MigratorException;
import dev.migrator.core.Redactor;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Renders a migrator failure at startup as what failed and what to do next. */
class MigratorFailureAnalyzer extends AbstractFailureAnalyzer<MigratorException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MigratorException cause) {
        return new FailureAnalysis(
                "migrator: " + Redactor.redact(cause.description()), Redactor.redact(cause.action()), cause);
    }
}
