package dev.migrator.autoconfigure;

import dev.migrator.core.MigratorException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Renders a migrator failure at startup as what failed and what to do next. */
class MigratorFailureAnalyzer extends AbstractFailureAnalyzer<MigratorException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MigratorException cause) {
        return new FailureAnalysis("migrator: " + cause.description(), cause.action(), cause);
    }
}
