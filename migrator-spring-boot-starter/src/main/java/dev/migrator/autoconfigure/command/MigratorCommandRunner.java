package dev.migrator.autoconfigure.command;

import dev.migrator.autoconfigure.MigratorProperties;
import dev.migrator.autoconfigure.MigratorProperties.Command;
import dev.migrator.autoconfigure.MigratorProperties.Output;
import dev.migrator.autoconfigure.descriptor.MigrationsDescriptor;
import dev.migrator.autoconfigure.descriptor.Trigger;
import dev.migrator.autoconfigure.generate.EntityModel;
import dev.migrator.autoconfigure.generate.SchemaGenerator;
import dev.migrator.autoconfigure.operations.MigrationSets;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import dev.migrator.autoconfigure.operations.ScratchDatabase;
import dev.migrator.core.MigrationFailedException;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Redactor;
import dev.migrator.core.Rehearsal;
import dev.migrator.core.RunOptions;
import dev.migrator.core.RunReport;
import dev.migrator.core.ValidationResult;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the {@code migrator.command} once the application is ready, prints the result as text or
 * JSON, closes the application and exits with the command's code. With several migration sets it
 * runs the command on each, in order (stopping a {@code migrate} at the first set that fails), and
 * exits with the worst code.
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

    /**
     * Exit code of {@code drift}: the live database differs from what its migrations build.
     *
     * @since 0.4.0
     */
    public static final int DRIFTED = 3;

    private final MigrationSets sets;

    private final @Nullable String set;

    private final Command command;

    private final Output output;

    private final MigratorCommandExit exit;

    private final PrintStream out;

    private MigratorProperties.Lint lint = new MigratorProperties.Lint();

    private MigratorProperties.Generate generate = new MigratorProperties.Generate();

    private @Nullable EntityModel entities;

    private final JsonMapper json = JsonMapper.builder()
            .changeDefaultPropertyInclusion(inclusion ->
                    inclusion.withValueInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /**
     * Create a runner.
     *
     * @param sets the migration sets of the service
     * @param set the set to run the command on, or {@code null} for every set in order
     * @param command the command
     * @param output the output format
     * @param exit how to end the JVM
     * @param out where to print
     */
    public MigratorCommandRunner(
            MigrationSets sets,
            @Nullable String set,
            Command command,
            Output output,
            MigratorCommandExit exit,
            PrintStream out) {
        this.sets = sets;
        this.set = set;
        this.command = command;
        this.output = output;
        this.exit = exit;
        this.out = out;
    }

    /**
     * Set the settings of the lint and rehearse commands.
     *
     * @param lint the settings
     * @return this runner
     */
    public MigratorCommandRunner lint(MigratorProperties.Lint lint) {
        this.lint = lint;
        return this;
    }

    /**
     * Set the settings of the generate command and the entities it compares.
     *
     * @param generate the settings
     * @param entities the application's entities, or {@code null} without JPA
     * @return this runner
     */
    public MigratorCommandRunner generate(MigratorProperties.Generate generate, @Nullable EntityModel entities) {
        this.generate = generate;
        this.entities = entities;
        return this;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        int code = run();
        this.out.flush();
        this.exit.exit(SpringApplication.exit(event.getApplicationContext(), () -> code));
    }

    /**
     * Run the command on every set and print the results: one set as a single-set service shows it;
     * several one after the other in text, or as one JSON object keyed by set.
     *
     * @return the exit code, the worst of the sets'
     */
    public int run() {
        List<MigratorOperations> sets;
        try {
            sets = this.sets.select(this.set);
            if (this.command == Command.GENERATE && sets.size() > 1) {
                throw new MigratorException(
                        dev.migrator.core.ErrorCode.CONFIGURATION,
                        "migrator generate writes one migration, and the service has "
                                + sets.size() + " migration sets: "
                                + String.join(
                                        ", ",
                                        sets.stream()
                                                .map(MigratorOperations::name)
                                                .toList())
                                + ".",
                        "Name the set whose migrations hold the entities' tables, for example --migrator.set="
                                + sets.get(0).name() + ".",
                        null);
            }
        } catch (MigratorException ex) {
            Failure failure = new Failure(name(), RunReport.Outcome.FAILED, ex.getMessage());
            print(failure, out -> out.println("migrator " + name() + ": FAILED\n" + failure.error()));
            return FAILED;
        }
        if (this.output == Output.SARIF) {
            return sarif(sets);
        }
        if (sets.size() == 1) {
            Result result = run(sets.get(0));
            print(result.json(), result.text());
            return result.code();
        }
        int code = OK;
        Map<String, Object> json = new LinkedHashMap<>();
        for (MigratorOperations set : sets) {
            Result result = run(set);
            code = worse(code, result.code());
            if (this.output == Output.JSON) {
                json.put(set.name(), result.json());
            } else {
                this.out.println("== migration set " + set.name());
                result.text().accept(this.out);
                this.out.println();
            }
            if (this.command == Command.MIGRATE && result.code() != OK) {
                break;
            }
        }
        if (this.output == Output.JSON) {
            this.out.println(this.json.writeValueAsString(json));
        }
        return code;
    }

    /**
     * Lint every set into one SARIF log, a run per set. Another command, or a set that fails before
     * it has findings, prints its failure as text on the error stream and exits 1: a SARIF log
     * holds findings, not failures.
     */
    private int sarif(List<MigratorOperations> sets) {
        if (this.command != Command.LINT) {
            System.err.println("migrator " + name() + ": FAILED\nmigrator.output=sarif is for the lint command only;"
                    + " use migrator.output=json or text for " + name() + ".");
            return FAILED;
        }
        SarifOutput sarif = new SarifOutput(
                Thread.currentThread().getContextClassLoader(), SarifOutput.sourceRoot(this.lint.getSarifSourceRoot()));
        List<Map<String, Object>> runs = new java.util.ArrayList<>();
        int code = OK;
        for (MigratorOperations set : sets) {
            Result result = run(set);
            code = worse(code, result.code());
            if (result.json() instanceof Lint lint) {
                runs.add(sarif.run(set.name(), set.migrator(), lint.found()));
            } else {
                result.text().accept(System.err);
            }
        }
        this.out.println(this.json.writeValueAsString(SarifOutput.log(runs)));
        return code;
    }

    private static int worse(int a, int b) {
        return (a == FAILED || b == FAILED) ? FAILED : Math.max(a, b);
    }

    /** What one set's command printed and returned. */
    private record Result(int code, Object json, Consumer<PrintStream> text) {}

    private Result run(MigratorOperations set) {
        try {
            // A job may start before the database is reachable; wait as configured.
            set.migrator().awaitDatabase();
            return switch (this.command) {
                case MIGRATE -> migrate(set);
                case STATUS -> status(set);
                case VALIDATE -> validate(set);
                case PREVIEW -> preview(set);
                case HISTORY -> history(set);
                case LINT -> lint(set);
                case REHEARSE -> rehearse(set);
                case UNDO -> undo(set);
                case MARK_APPLIED -> markApplied(set);
                case DRIFT -> drift(set);
                case GENERATE -> generate(set);
            };
        } catch (MigratorException ex) {
            Failure failure = new Failure(
                    name(),
                    RunReport.Outcome.FAILED,
                    Redactor.redact(set.named(ex).getMessage()));
            return new Result(
                    FAILED, failure, out -> out.println("migrator " + name() + ": FAILED\n" + failure.error()));
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

    private Result migrate(MigratorOperations set) {
        RunReport report;
        try {
            report = set.migrate(Trigger.COMMAND, RunOptions.defaults());
        } catch (MigrationFailedException ex) {
            MigrationsDescriptor.LastRun run = set.lastRun()
                    .map(MigratorOperations.LastRun::describe)
                    .orElseGet(() -> MigrationsDescriptor.LastRun.of(Trigger.COMMAND, ex.report()));
            return new Result(FAILED, run, out -> TextOutput.run(out, run));
        }
        MigrationsDescriptor.LastRun run =
                set.lastRun().map(MigratorOperations.LastRun::describe).orElseThrow();
        List<MigrationsDescriptor.Check> checks =
                set.checks().stream().map(MigrationsDescriptor.Check::of).toList();
        int code = report.outcome() == RunReport.Outcome.SUCCESS
                        && checks.stream().allMatch(c -> c.status() == MigrationsDescriptor.CheckStatus.PASSED)
                ? OK
                : FAILED;
        return new Result(code, new Migrated(run, checks), out -> {
            TextOutput.run(out, run);
            TextOutput.checks(out, checks);
        });
    }

    private Result status(MigratorOperations set) {
        MigrationsDescriptor descriptor = set.describe();
        int code = switch (descriptor.status()) {
            case UP_TO_DATE -> OK;
            case PENDING -> PENDING;
            case FAILED, INVALID -> FAILED;
        };
        return new Result(code, descriptor, out -> TextOutput.status(out, descriptor));
    }

    private Result validate(MigratorOperations set) {
        Validation result = Validation.of(set.migrator().validate());
        return new Result(result.valid() ? OK : FAILED, result, out -> TextOutput.validation(out, result));
    }

    private Result preview(MigratorOperations set) {
        List<dev.migrator.core.UndoStep> undo = undoPath(set);
        if (!undo.isEmpty()) {
            List<MigrationsDescriptor.UndoStep> steps = MigrationsDescriptor.UndoStep.of(undo);
            return new Result(OK, steps, out -> TextOutput.undoPreview(out, steps));
        }
        List<MigrationsDescriptor.PreviewStep> steps = set.migrator().preview().stream()
                .map(MigrationsDescriptor.PreviewStep::of)
                .toList();
        return new Result(OK, steps, out -> TextOutput.preview(out, steps));
    }

    /**
     * The undo path that preview shows when a target names a version below where its track stands;
     * empty when no target names a version, or when nothing is above them.
     */
    private static List<dev.migrator.core.UndoStep> undoPath(MigratorOperations set) {
        dev.migrator.core.MigratorSettings settings = set.migrator().settings();
        boolean versionTarget =
                isVersion(settings.schemaTarget()) || (settings.dataEnabled() && isVersion(settings.dataTarget()));
        return versionTarget ? set.migrator().undoPlan(RunOptions.defaults()) : List.of();
    }

    private static boolean isVersion(String target) {
        return !target.equalsIgnoreCase("latest") && !target.equalsIgnoreCase("current");
    }

    /** The JSON of {@code mark-applied}. */
    record Marked(List<String> marked) {}

    private Result markApplied(MigratorOperations set) {
        Marked marked = new Marked(set.migrator().markApplied(RunOptions.defaults()).stream()
                .map(dev.migrator.core.MigrationEntry::script)
                .toList());
        return new Result(OK, marked, out -> {
            if (marked.marked().isEmpty()) {
                out.println("migrator mark-applied: nothing pending up to the data target; nothing recorded");
            } else {
                out.println("migrator mark-applied: recorded as applied without running them: "
                        + String.join(", ", marked.marked()));
            }
        });
    }

    private Result drift(MigratorOperations set) {
        MigrationsDescriptor.Drift drift = MigrationsDescriptor.Drift.of(set.drift());
        return new Result(drift.drifted() ? DRIFTED : OK, drift, out -> TextOutput.drift(out, drift));
    }

    private Result undo(MigratorOperations set) {
        dev.migrator.core.UndoReport report = set.migrator().undo(RunOptions.defaults());
        MigrationsDescriptor.Undo undo = MigrationsDescriptor.Undo.of(report);
        return new Result(OK, undo, out -> TextOutput.undo(out, undo));
    }

    private Result generate(MigratorOperations set) {
        SchemaGenerator generator = new SchemaGenerator(
                set.migrator(),
                this.entities,
                SchemaGenerator.databases(
                        this.generate.getDatabase(),
                        () -> ScratchDatabase.open(
                                set.migrator().dataSource(),
                                "migrator_generate_",
                                "generate builds the migrations in",
                                "build them on the embedded server (migrator.generate.database=embedded, with"
                                        + " migrator-test-support on the classpath)")));
        SchemaGenerator.Result result = generator.generate(this.generate.getDescription(), this.generate.isDryRun());
        return new Result(OK, result, out -> TextOutput.generated(out, result));
    }

    private Result history(MigratorOperations set) {
        List<MigrationsDescriptor.HistoryEntry> history = set.migrator().history().stream()
                .map(MigrationsDescriptor.HistoryEntry::of)
                .toList();
        return new Result(OK, history, out -> TextOutput.history(out, history));
    }

    /** The JSON of {@code lint}. */
    record Lint(
            MigratorProperties.LintScope scope,
            List<MigrationsDescriptor.Finding> findings,
            int failing,
            dev.migrator.core.analysis.FailOn failOn,
            MigrationsDescriptor.@Nullable Rehearsal rehearsal,
            @com.fasterxml.jackson.annotation.JsonIgnore List<dev.migrator.core.analysis.Finding> found) {}

    private Result lint(MigratorOperations set) {
        List<dev.migrator.core.analysis.Finding> findings;
        MigrationsDescriptor.Rehearsal rehearsal = null;
        boolean failed = false;
        if (this.lint.getScope() == MigratorProperties.LintScope.ALL) {
            try (ScratchDatabase scratch = ScratchDatabase.open(
                    set.migrator().dataSource(),
                    "migrator_lint_",
                    "lint of every migration builds them in",
                    "lint the pending migrations only (migrator.lint.scope=pending), which rehearses them on the"
                            + " target and needs no new database")) {
                findings = set.migrator().on(scratch.dataSource()).migrate().findings();
            }
        } else {
            Rehearsal rehearsed = set.migrator().rehearse();
            rehearsal = MigrationsDescriptor.Rehearsal.of(rehearsed);
            failed = !rehearsed.succeeded();
            List<String> notRehearsed = rehearsed.notRehearsed().stream()
                    .map(skipped -> skipped.migration().script())
                    .toList();
            findings = new java.util.ArrayList<>(rehearsed.findings());
            // What a rehearsal cannot run still gets the checks that need no database.
            set.migrator().preview().stream()
                    .filter(step -> notRehearsed.contains(step.migration().script()))
                    .forEach(step -> findings.addAll(step.findings()));
        }
        int failing = this.lint.getFailOn().failing(findings).size();
        Lint result = new Lint(
                this.lint.getScope(),
                MigrationsDescriptor.Finding.of(findings),
                failing,
                this.lint.getFailOn(),
                rehearsal,
                findings);
        return new Result(failed || failing > 0 ? FAILED : OK, result, out -> TextOutput.lint(out, result));
    }

    private Result rehearse(MigratorOperations set) {
        Rehearsal rehearsed = set.migrator().rehearse();
        MigrationsDescriptor.Rehearsal rehearsal = MigrationsDescriptor.Rehearsal.of(rehearsed);
        int failing = this.lint.getFailOn().failing(rehearsed.findings()).size();
        int code = (!rehearsed.succeeded() || failing > 0)
                ? FAILED
                : rehearsed.notRehearsed().isEmpty() ? OK : PENDING;
        return new Result(code, rehearsal, out -> TextOutput.rehearsal(out, rehearsal, failing, this.lint.getFailOn()));
    }

    private void print(Object jsonValue, Consumer<PrintStream> text) {
        if (this.output == Output.JSON) {
            this.out.println(this.json.writeValueAsString(jsonValue));
        } else {
            text.accept(this.out);
        }
    }

    private String name() {
        return this.command.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
