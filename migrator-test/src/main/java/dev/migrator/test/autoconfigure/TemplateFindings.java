package dev.migrator.test.autoconfigure;

import dev.migrator.autoconfigure.descriptor.Trigger;
import dev.migrator.autoconfigure.operations.MigrationRunEvent;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import dev.migrator.core.analysis.FailOn;
import dev.migrator.core.analysis.Finding;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationListener;

/**
 * Fails the build of a template database when the change analysis finds something at or above
 * {@code migrator.test.analysis.fail-on} (errors, by default) in a migration that does not allow it:
 * the test slice applies every migration from scratch, so it is where a new migration is first
 * observed. A clone of a template built before is not analysed again.
 */
final class TemplateFindings implements ApplicationListener<MigrationRunEvent> {

    /** The property that sets the severity from which findings fail the template build. */
    static final String FAIL_ON = "migrator.test.analysis.fail-on";

    private final ContextDatabase database;

    private final FailOn failOn;

    TemplateFindings(ContextDatabase database, FailOn failOn) {
        this.database = database;
        this.failOn = failOn;
    }

    @Override
    public void onApplicationEvent(MigrationRunEvent event) {
        if (event.getTrigger() != Trigger.STARTUP || !this.database.building()) {
            return;
        }
        List<Finding> failing = this.failOn.failing(event.getReport().findings());
        if (failing.isEmpty()) {
            return;
        }
        throw new MigratorException(
                ErrorCode.FINDINGS,
                "The change analysis of the test template found " + failing.size() + " finding(s) at or above '"
                        + this.failOn.name().toLowerCase(java.util.Locale.ROOT) + "' ('" + FAIL_ON + "'):\n"
                        + failing.stream().map(f -> "  - " + f.describe()).collect(Collectors.joining("\n")),
                "Change each migration to the safe form; or, when it is right as it is, allow the finding in the"
                        + " migration with '-- migrator:allow <rule> <reason>' (@AllowFinding on a Java migration);"
                        + " or set " + FAIL_ON + " to 'warning', 'info' or 'never'.",
                null);
    }
}
