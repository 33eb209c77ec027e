package dev.migrator.autoconfigure.operations;

import dev.migrator.autoconfigure.descriptor.Trigger;
import dev.migrator.core.RunReport;
import org.springframework.context.ApplicationEvent;

/**
 * Published after every migration run, successful or not, with its report.
 *
 * @since 0.1.0
 */
public class MigrationRunEvent extends ApplicationEvent {

    private final Trigger trigger;

    private final RunReport report;

    /**
     * Create an event.
     *
     * @param source the operations that ran the migration
     * @param trigger what started the run
     * @param report the report of the run
     */
    public MigrationRunEvent(Object source, Trigger trigger, RunReport report) {
        super(source);
        this.trigger = trigger;
        this.report = report;
    }

    /**
     * Return the migration set the run migrated.
     *
     * @return the set's name, {@value MigrationSets#DEFAULT} for the default set
     */
    public String getSet() {
        return (getSource() instanceof MigratorOperations operations) ? operations.name() : MigrationSets.DEFAULT;
    }

    /**
     * Return what started the run.
     *
     * @return the trigger, never {@code null}
     */
    public Trigger getTrigger() {
        return this.trigger;
    }

    /**
     * Return the report of the run.
     *
     * @return the report, never {@code null}
     */
    public RunReport getReport() {
        return this.report;
    }

    /**
     * Return whether the run succeeded.
     *
     * @return {@code true} on success
     */
    public boolean isSuccess() {
        return this.report.outcome() == RunReport.Outcome.SUCCESS;
    }
}
