package dev.migrator.autoconfigure.startup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

class MigratorFailureAnalyzerTests {

    @Test
    void analysisSplitsWhatFailedFromWhatToDo() {
        MigratorException failure = new MigratorException(
                ErrorCode.MIGRATION,
                "Schema migration 'V2__x.sql' failed.",
                "Fix the migration and start again.",
                null);

        FailureAnalysis analysis = new MigratorFailureAnalyzer()
                .analyze(new BeanCreationException("migratorSchemaInitializer", "Init failed", failure));

        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).isEqualTo("migrator: Schema migration 'V2__x.sql' failed.");
        assertThat(analysis.getAction()).isEqualTo("Fix the migration and start again.");
        assertThat(analysis.getCause()).isSameAs(failure);
    }
}
