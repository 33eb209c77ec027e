package dev.migrator.core.internal.run;

import dev.migrator.core.DataOrdering;
import dev.migrator.core.internal.data.ResolvedDataMigration;
import dev.migrator.core.internal.schema.SchemaTrack;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.api.MigrationVersion;

/**
 * The order of a run: schema steps (migrate the schema track up to a version, or to its target)
 * and data migrations. One plan serves the run and its preview, so the preview shows exactly what
 * the run would do.
 */
public final class RunPlan {

    /** A step of the plan. */
    public sealed interface Step permits SchemaTo, ApplyData {}

    /**
     * Migrate the schema track.
     *
     * @param version up to this version, or to the target when empty
     */
    public record SchemaTo(Optional<MigrationVersion> version) implements Step {}

    /** Apply a data migration. */
    public record ApplyData(ResolvedDataMigration migration, Optional<MigrationVersion> schemaVersion)
            implements Step {}

    private final List<Step> steps;

    private final List<ResolvedDataMigration> waiting;

    private RunPlan(List<Step> steps, List<ResolvedDataMigration> waiting) {
        this.steps = List.copyOf(steps);
        this.waiting = List.copyOf(waiting);
    }

    public List<Step> steps() {
        return this.steps;
    }

    /** The data migrations that stay pending because they wait for a schema version out of reach. */
    public List<ResolvedDataMigration> waiting() {
        return this.waiting;
    }

    /**
     * Plan a run against the schema versions it can reach.
     *
     * @param ordering how data migrations are ordered against schema migrations
     * @param schemaPhase whether the run migrates the schema track
     * @param versions the schema versions: the current one and those up to the target
     * @param dataPending the pending data migrations in order: versioned, then repeatable
     * @return the plan
     */
    public static RunPlan of(
            DataOrdering ordering,
            boolean schemaPhase,
            SchemaTrack.Versions versions,
            List<ResolvedDataMigration> dataPending) {
        return of(
                schemaPhase && ordering == DataOrdering.BY_VERSION,
                schemaPhase,
                versions.current(),
                versions.reachable(),
                dataPending);
    }

    /**
     * Plan a run.
     *
     * @param byVersion whether both tracks are merged by version
     * @param schemaPhase whether the run migrates the schema track
     * @param current the schema version before the run
     * @param reachable the schema versions up to the target, in order
     * @param dataPending the pending data migrations in order: versioned, then repeatable
     */
    public static RunPlan of(
            boolean byVersion,
            boolean schemaPhase,
            Optional<MigrationVersion> current,
            List<MigrationVersion> reachable,
            List<ResolvedDataMigration> dataPending) {
        List<Step> steps = new ArrayList<>();
        List<ResolvedDataMigration> waiting = new ArrayList<>();
        Optional<MigrationVersion> atTarget =
                (schemaPhase && !reachable.isEmpty()) ? Optional.of(reachable.get(reachable.size() - 1)) : current;
        if (byVersion) {
            Optional<MigrationVersion> schemaVersion = current;
            boolean blocked = false;
            for (ResolvedDataMigration migration : dataPending) {
                if (migration.version().isEmpty()) {
                    continue;
                }
                MigrationVersion version = migration.version().get();
                Optional<MigrationVersion> step = reachable.stream()
                        .filter(v -> v.compareTo(version) <= 0)
                        .reduce((a, b) -> b);
                Optional<MigrationVersion> pin = migration.afterSchema();
                if (pin.isPresent() && !reaches(step, pin.get())) {
                    step = reachable.stream()
                            .filter(v -> v.compareTo(pin.get()) >= 0)
                            .findFirst();
                }
                if (blocked || (pin.isPresent() && step.isEmpty())) {
                    blocked = true;
                    waiting.add(migration);
                    continue;
                }
                if (step.isPresent() && !reaches(schemaVersion, step.get())) {
                    steps.add(new SchemaTo(step));
                    schemaVersion = step;
                }
                steps.add(new ApplyData(migration, schemaVersion));
            }
            steps.add(new SchemaTo(Optional.empty()));
            addRepeatables(dataPending, atTarget, steps, waiting);
            return new RunPlan(steps, waiting);
        }
        if (schemaPhase) {
            steps.add(new SchemaTo(Optional.empty()));
        }
        boolean blocked = false;
        for (ResolvedDataMigration migration : dataPending) {
            if (migration.version().isEmpty()) {
                continue;
            }
            Optional<MigrationVersion> pin = migration.afterSchema();
            blocked = blocked || (pin.isPresent() && !reaches(atTarget, pin.get()));
            if (blocked) {
                waiting.add(migration);
            } else {
                steps.add(new ApplyData(migration, atTarget));
            }
        }
        addRepeatables(dataPending, atTarget, steps, waiting);
        return new RunPlan(steps, waiting);
    }

    private static void addRepeatables(
            List<ResolvedDataMigration> dataPending,
            Optional<MigrationVersion> schemaVersion,
            List<Step> steps,
            List<ResolvedDataMigration> waiting) {
        for (ResolvedDataMigration migration : dataPending) {
            if (migration.version().isPresent()) {
                continue;
            }
            if (migration.afterSchema().isPresent()
                    && !reaches(schemaVersion, migration.afterSchema().get())) {
                waiting.add(migration);
            } else {
                steps.add(new ApplyData(migration, schemaVersion));
            }
        }
    }

    public static boolean reaches(Optional<MigrationVersion> schemaVersion, MigrationVersion pin) {
        return schemaVersion.map(v -> v.compareTo(pin) >= 0).orElse(false);
    }
}
