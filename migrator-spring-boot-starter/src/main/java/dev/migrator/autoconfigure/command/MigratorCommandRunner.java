package dev.migrator.autoconfigure.command;

import dev.migrator.autoconfigure.MigratorProperties.Command;
import dev.migrator.autoconfigure.MigratorProperties.Output;
import dev.migrator.autoconfigure.descriptor.MigrationsDescriptor;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import dev.migrator.autoconfigure.operations.Trigger;
import dev.migrator.core.MigrationFailedException;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Redactor;
import dev.migrator.core.RunOptions;
import dev.migrator.core.RunReport;
import dev.migrator.core.ValidationResult;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the {@code migrator.command} once the application is ready, prints the result as text or
 * JSON, closes the application and exits with the command's code.
 *
 * @since 0.1.0
 */
public class MigratorCommandRunner implements ApplicationListener<ApplicationReadyEvent> {

    /** Exit code: success, or up to date. */
    public static final int OK = 0;

    /** Exit code: failed or invalid. */
    public static final int FAILED = 1;

    /** Exit code of {@code status}: migrations are pending. */
    public static final int PENDING = 3;

    private final MigratorOperations operations;

    private final Command command;

    private final Output output;

    private final MigratorCommandExit exit;

    private final PrintStream out;

    private final JsonMapper json = JsonMapper.builder()
            .changeDefaultPropertyInclusion(inclusion ->
                    inclusion.withValueInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /**
     * Create a runner.
     *
     * @param operations the operations to run the command with
     * @param command the command
     * @param output the output format
     * @param exit how to end the JVM
     * @param out where to print
     */
    public MigratorCommandRunner(
            MigratorOperations operations, Command command, Output output, MigratorCommandExit exit, PrintStream out) {
        this.operations = operations;
        this.command = command;
        this.output = output;
        this.exit = exit;
        this.out = out;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        int code = run();
        this.out.flush();
        this.exit.exit(SpringApplication.exit(event.getApplicationContext(), () -> code));
    }

    /**
     * Run the command and print its result.
     *
     * @return the exit code
     */
    public int run() {
        try {
            // A job may start before the database is reachable; wait as configured.
            this.operations.migrator().awaitDatabase();
            return switch (this.command) {
                case MIGRATE -> migrate();
                case STATUS -> status();
                case VALIDATE -> validate();
                case PREVIEW -> preview();
                case HISTORY -> history();
            };
        } catch (MigratorException ex) {
            Failure failure = new Failure(name(), RunReport.Outcome.FAILED, Redactor.redact(ex.getMessage()));
            print(failure, () -> this.out.println("migrator " + name() + ": FAILED\n" + failure.error()));
            return FAILED;
        }
    }

    /** The JSON of a command that failed before it could report. */
    record Failure(String command, RunReport.Outcome outcome, String error) {}

    /** The JSON of {@code migrate}. */
    record Migrated(MigrationsDescriptor.LastRun run, List<MigrationsDescriptor.Check> checks) {}

    /** The JSON of {@code validate}, every problem redacted. */
    record Validation(boolean valid, List<String> problems) {

        static Validation of(ValidationResult result) {
            return new Validation(
                    result.isValid(),
                    result.problems().stream().map(Redactor::redact).toList());
        }
    }

    private int migrate() {
        RunReport report;
        try {
            report = this.operations.migrate(Trigger.COMMAND, RunOptions.defaults());
        } catch (MigrationFailedException ex) {
            MigrationsDescriptor.LastRun run = this.operations
                    .lastRun()
                    .map(MigrationsDescriptor.LastRun::of)
                    .orElseGet(() -> MigrationsDescriptor.LastRun.of(Trigger.COMMAND, ex.report()));
            print(run, () -> TextOutput.run(this.out, run));
            return FAILED;
        }
        MigrationsDescriptor.LastRun run =
                this.operations.lastRun().map(MigrationsDescriptor.LastRun::of).orElseThrow();
        List<MigrationsDescriptor.Check> checks = this.operations.checks().stream()
                .map(MigrationsDescriptor.Check::of)
                .toList();
        print(new Migrated(run, checks), () -> {
            TextOutput.run(this.out, run);
            TextOutput.checks(this.out, checks);
        });
        return report.outcome() == RunReport.Outcome.SUCCESS
                        && checks.stream().allMatch(c -> c.status() == MigrationsDescriptor.CheckStatus.PASSED)
                ? OK
                : FAILED;
    }

    private int status() {
        MigrationsDescriptor descriptor = this.operations.describe();
        print(descriptor, () -> TextOutput.status(this.out, descriptor));
        return switch (descriptor.status()) {
            case UP_TO_DATE -> OK;
            case PENDING -> PENDING;
            case FAILED, INVALID -> FAILED;
        };
    }

    private int validate() {
        Validation result = Validation.of(this.operations.migrator().validate());
        print(result, () -> TextOutput.validation(this.out, result));
        return result.valid() ? OK : FAILED;
    }

    private int preview() {
        List<MigrationsDescriptor.PreviewStep> steps = this.operations.migrator().preview().stream()
                .map(MigrationsDescriptor.PreviewStep::of)
                .toList();
        print(steps, () -> TextOutput.preview(this.out, steps));
        return OK;
    }

    private int history() {
        List<MigrationsDescriptor.HistoryEntry> history = this.operations.migrator().history().stream()
                .map(MigrationsDescriptor.HistoryEntry::of)
                .toList();
        print(history, () -> TextOutput.history(this.out, history));
        return OK;
    }

    private void print(Object jsonValue, Runnable text) {
        if (this.output == Output.JSON) {
            this.out.println(this.json.writeValueAsString(jsonValue));
        } else {
            text.run();
        }
    }

    private String name() {
        return this.command.name().toLowerCase(Locale.ROOT);
    }
}
