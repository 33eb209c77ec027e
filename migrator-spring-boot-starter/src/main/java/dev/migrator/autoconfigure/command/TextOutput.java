package dev.migrator.autoconfigure.command;

import dev.migrator.autoconfigure.descriptor.MigrationsDescriptor;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Renders command results as text a person can scan: aligned columns, one item per line. It renders
 * only the redacted records that the JSON output shows too.
 */
final class TextOutput {

    private TextOutput() {}

    static void status(PrintStream out, MigrationsDescriptor status) {
        out.println("migrator status: " + status.status());
        if (status.error() != null) {
            out.println();
            out.println(status.error());
        }
        track(out, "schema", status.schema());
        track(out, "data", status.data());
        out.println();
        MigrationsDescriptor.Holder holder = status.lock().holder();
        out.println("lock    "
                + (holder == null
                        ? "free"
                        : "held by pid " + holder.pid() + " ("
                                + valueOr(holder.applicationName(), "no application name") + ", "
                                + valueOr(holder.clientAddress(), "local socket") + ")"));
        MigrationsDescriptor.LastRun lastRun = status.lastRun();
        if (lastRun != null) {
            out.println("last    " + lastRun.trigger().value() + " run " + lastRun.outcome() + " at "
                    + lastRun.startedAt());
        }
        checks(out, status.checks());
    }

    private static void track(PrintStream out, String name, MigrationsDescriptor.@Nullable Track track) {
        if (track == null) {
            return;
        }
        out.println();
        out.printf(
                "%-7s current %s, target %s, %d pending, %d failed%n",
                name,
                valueOr(track.current(), "none"),
                track.target(),
                track.pending().size(),
                track.failed().size());
        for (MigrationsDescriptor.Migration migration : track.pending()) {
            out.printf(
                    "  pending  %-10s %-40s %s%s%n",
                    valueOr(migration.version(), "repeatable"),
                    migration.description(),
                    migration.script(),
                    migration.reason() != null ? "  (" + migration.reason() + ")" : "");
        }
        for (MigrationsDescriptor.Migration migration : track.failed()) {
            out.printf(
                    "  FAILED   %-10s %-40s %s%n",
                    valueOr(migration.version(), "repeatable"), migration.description(), migration.script());
        }
    }

    static void checks(PrintStream out, List<MigrationsDescriptor.Check> checks) {
        if (checks.isEmpty()) {
            return;
        }
        out.println();
        out.println("checks");
        for (MigrationsDescriptor.Check check : checks) {
            out.printf("  %-6s %-28s %s%n", check.status(), check.name(), check.detail());
        }
    }

    static void run(PrintStream out, MigrationsDescriptor.LastRun run) {
        out.println("migrator migrate: " + run.outcome() + " in " + run.durationMs() + " ms");
        applied(out, "schema", run.schemaApplied());
        applied(out, "data", run.dataApplied());
        if (run.error() != null) {
            out.println();
            out.println(run.error());
        }
    }

    private static void applied(PrintStream out, String track, List<MigrationsDescriptor.Applied> applied) {
        out.println();
        out.println(track + ": " + applied.size() + " applied");
        for (MigrationsDescriptor.Applied migration : applied) {
            out.printf(
                    "  %-10s %-40s %-40s %6d ms%n",
                    valueOr(migration.version(), "repeatable"),
                    migration.description(),
                    migration.script(),
                    migration.executionTimeMs());
        }
    }

    static void validation(PrintStream out, MigratorCommandRunner.Validation result) {
        out.println("migrator validate: " + (result.valid() ? "VALID" : "INVALID"));
        result.problems().forEach(problem -> out.println("  - " + problem));
    }

    static void preview(PrintStream out, List<MigrationsDescriptor.PreviewStep> steps) {
        if (steps.isEmpty()) {
            out.println("-- migrator preview: nothing to run, every track is at its target");
            return;
        }
        out.println("-- migrator preview: " + steps.size() + " migration(s), in the order migrate would run them");
        for (MigrationsDescriptor.PreviewStep step : steps) {
            out.println();
            out.println("-- " + step.track().name().toLowerCase(Locale.ROOT) + " "
                    + (step.version() != null ? step.version() + " " : "repeatable ") + step.description() + " ("
                    + step.script() + ")");
            out.println(valueOr(step.sql(), "-- Java migration: named here, not run by preview"));
            for (MigrationsDescriptor.Finding finding : step.findings()) {
                out.println("-- " + finding.severity() + " " + finding.rule() + " at " + finding.object() + ": "
                        + finding.detail()
                        + (finding.allowed() != null ? " (allowed: " + finding.allowed() + ")" : ""));
            }
        }
    }

    static void undoPreview(PrintStream out, List<MigrationsDescriptor.UndoStep> steps) {
        out.println("-- migrator preview: undo of " + steps.size()
                + " migration(s), in the order undo would run them (the reverse of their application)");
        for (MigrationsDescriptor.UndoStep step : steps) {
            out.println();
            out.println("-- undo " + step.track().name().toLowerCase(Locale.ROOT) + " " + step.version() + " "
                    + step.description() + " (" + step.script() + ") by " + step.undo()
                    + (step.transactional() ? "" : ", outside a transaction"));
            out.println(valueOr(step.sql(), "-- Java undo: named here, not run by preview"));
        }
    }

    static void undo(PrintStream out, MigrationsDescriptor.Undo undo) {
        if (undo.undone().isEmpty()) {
            out.println("migrator undo: nothing to undo, every track is at or below its target");
            return;
        }
        out.println("migrator undo: SUCCEEDED in " + undo.durationMs() + " ms; "
                + undo.undone().size() + " migration(s) undone, the next migrate applies them again");
        for (MigrationsDescriptor.UndoStep step : undo.undone()) {
            out.printf(
                    "  %-6s %-10s %s by %s%n",
                    step.track().name().toLowerCase(Locale.ROOT), step.version(), step.script(), step.undo());
        }
        for (String script : undo.rerun()) {
            out.println("  rerun  " + script + " (repeatable: runs again at the next migrate)");
        }
    }

    static void lint(PrintStream out, MigratorCommandRunner.Lint lint) {
        out.println("migrator lint (" + lint.scope().name().toLowerCase(Locale.ROOT) + "): "
                + lint.findings().size()
                + " finding(s), " + lint.failing() + " failing (fail-on "
                + lint.failOn().name().toLowerCase(Locale.ROOT)
                + ")");
        if (lint.rehearsal() != null && lint.rehearsal().error() != null) {
            out.println("  rehearsal FAILED: " + lint.rehearsal().error());
        }
        if (lint.rehearsal() != null) {
            lint.rehearsal()
                    .notRehearsed()
                    .forEach(skipped -> out.println(
                            "  not rehearsed " + skipped.script() + ": " + skipped.reason() + " (static checks only)"));
        }
        findings(out, lint.findings(), "  ");
    }

    static void rehearsal(
            PrintStream out,
            MigrationsDescriptor.Rehearsal rehearsal,
            int failing,
            dev.migrator.core.analysis.FailOn failOn) {
        out.println("migrator rehearse: " + (rehearsal.succeeded() ? "SUCCEEDED" : "FAILED") + " in "
                + rehearsal.durationMs() + " ms, rolled back; "
                + rehearsal.rehearsed().size() + " rehearsed, "
                + rehearsal.notRehearsed().size() + " not rehearsed, " + failing + " finding(s) failing (fail-on "
                + failOn.name().toLowerCase(Locale.ROOT) + ")");
        for (MigrationsDescriptor.RehearsedStep step : rehearsal.rehearsed()) {
            out.println();
            out.printf(
                    "%-6s %-48s %6d ms  %d inserted, %d updated or deleted%n",
                    step.track().name().toLowerCase(Locale.ROOT),
                    step.script(),
                    step.durationMs(),
                    step.rowsInserted(),
                    step.rowsChanged());
            if (step.error() != null) {
                out.println("  ERROR " + step.error());
            }
            step.locks().forEach(lock -> out.println("  lock      " + lock));
            step.rewritten().forEach(table -> out.println("  rewrites  " + table));
            findings(out, step.findings(), "  ");
        }
        for (MigrationsDescriptor.NotRehearsed skipped : rehearsal.notRehearsed()) {
            out.println();
            out.println(skipped.track().name().toLowerCase(Locale.ROOT) + " " + skipped.script() + ": not rehearsed, "
                    + skipped.reason());
        }
        out.println();
        out.println(rehearsal.note());
    }

    private static void findings(PrintStream out, List<MigrationsDescriptor.Finding> findings, String indent) {
        for (MigrationsDescriptor.Finding finding : findings) {
            out.println(indent + finding.severity() + " " + finding.rule() + " in " + finding.migration() + " on "
                    + finding.object() + ": " + finding.detail()
                    + (finding.allowed() != null ? " (allowed: " + finding.allowed() + ")" : ""));
            if (finding.allowed() == null) {
                out.println(indent + "  why:  " + finding.why());
                out.println(indent + "  safe: " + finding.safeForm());
            }
        }
    }

    static void drift(PrintStream out, MigrationsDescriptor.Drift drift) {
        String at =
                "schema " + valueOr(drift.schemaVersion(), "none") + ", data " + valueOr(drift.dataVersion(), "none");
        if (!drift.drifted()) {
            out.println("migrator drift: NONE; the database matches its migrations at " + at + " (checked "
                    + drift.checkedAt() + ")");
            return;
        }
        out.println("migrator drift: DRIFTED; " + drift.differences().size()
                + " difference(s) from what the migrations build at " + at + " (checked " + drift.checkedAt() + ")");
        for (MigrationsDescriptor.Difference difference : drift.differences()) {
            out.println("  " + (difference.expected() == null ? "+" : difference.found() == null ? "-" : "~") + " "
                    + difference.description());
        }
        out.println("+ only in the database, - only in the migrations, ~ both, defined differently;"
                + " --migrator.output=json shows every definition in full.");
    }

    static void history(PrintStream out, List<MigrationsDescriptor.HistoryEntry> history) {
        out.printf(
                "%-24s %-6s %-10s %-40s %8s %10s  %s%n",
                "installed on", "track", "version", "description", "ms", "rows", "outcome");
        for (MigrationsDescriptor.HistoryEntry entry : history) {
            out.printf(
                    "%-24s %-6s %-10s %-40s %8d %10s  %s%n",
                    entry.installedOn(),
                    entry.track().name().toLowerCase(Locale.ROOT),
                    valueOr(entry.version(), "repeatable"),
                    entry.description(),
                    entry.executionTimeMs(),
                    entry.rowsAffected() != null ? String.valueOf(entry.rowsAffected()) : "-",
                    entry.success() ? "ok" : "FAILED");
        }
    }

    private static String valueOr(@Nullable String value, String fallback) {
        return (value != null) ? value : fallback;
    }

    static void generated(PrintStream out, dev.migrator.autoconfigure.generate.SchemaGenerator.Result result) {
        String built = "the migrations up to version " + result.builtAt() + ", built on " + result.builtOn();
        switch (result.outcome()) {
            case NOTHING_TO_CHANGE -> {
                out.println(
                        "migrator generate: NOTHING TO CHANGE\nThe entities match " + built + ". Nothing was written.");
                if (!result.notes().isEmpty()) {
                    out.println("Not generated, to write by hand if intended:");
                    result.notes().forEach(note -> out.println("  - " + note));
                }
            }
            case DRY_RUN -> {
                out.println("migrator generate: DRY RUN, nothing written\nFrom the entities against " + built + ":");
                result.files().forEach((name, text) -> {
                    out.println();
                    out.println("==> " + name + " <==");
                    out.print(text);
                });
            }
            case WRITTEN -> {
                out.println("migrator generate: WRITTEN into " + result.location() + "\nFrom the entities against "
                        + built + ":");
                result.files().keySet().forEach(name -> out.println("  " + name));
                if (!result.notes().isEmpty()) {
                    out.println("To write or check by hand (also at the top of the first file):");
                    result.notes().forEach(note -> out.println("  - " + note));
                }
                out.println("Read them, then apply them: start the application, or run --migrator.command=migrate.");
            }
        }
    }
}
