package dev.migrator.core;

import dev.migrator.core.analysis.Finding;
import dev.migrator.core.analysis.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a rehearsal saw: every pending migration that runs in a transaction, of both tracks, run on
 * the target database in one transaction that is then rolled back. Nothing it did persists (the
 * catalog, the history tables and the rows are as they were), except sequences, which
 * {@code nextval} advances outside any transaction.
 *
 * @param startedAt when the rehearsal started (before waiting for the lock)
 * @param duration how long it took, lock wait included
 * @param rehearsed the migrations it ran, in order, the one that failed last
 * @param notRehearsed the pending migrations it could not run, with the reason
 * @param error the first error, empty when every rehearsed migration ran
 * @since 0.2.0
 */
public record Rehearsal(
        Instant startedAt,
        Duration duration,
        List<Step> rehearsed,
        List<Skipped> notRehearsed,
        Optional<String> error) {

    /** What a rehearsal leaves behind: sequences advance, nothing else. */
    public static final String SEQUENCES =
            "Sequences used by the rehearsed migrations stay advanced: nextval() is not rolled back.";

    /**
     * Copy the components.
     *
     * @throws NullPointerException when a component is {@code null}
     */
    public Rehearsal {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
        rehearsed = List.copyOf(rehearsed);
        notRehearsed = List.copyOf(notRehearsed);
        Objects.requireNonNull(error, "error");
    }

    /**
     * Return whether every rehearsed migration ran without an error.
     *
     * @return whether it succeeded
     */
    public boolean succeeded() {
        return this.error.isEmpty();
    }

    /**
     * Return the findings of every rehearsed migration, in order.
     *
     * @return the findings
     */
    public List<Finding> findings() {
        return this.rehearsed.stream()
                .flatMap(step -> step.observation().stream())
                .flatMap(observation -> observation.findings().stream())
                .toList();
    }

    /**
     * A migration the rehearsal ran.
     *
     * @param track its track
     * @param migration the migration
     * @param duration how long it ran
     * @param observation what it did, empty when it failed
     * @param error its error, empty when it ran
     * @since 0.2.0
     */
    public record Step(
            Track track,
            MigrationEntry migration,
            Duration duration,
            Optional<Observation> observation,
            Optional<String> error) {

        /**
         * Validate the components.
         *
         * @throws NullPointerException when a component is {@code null}
         */
        public Step {
            Objects.requireNonNull(track, "track");
            Objects.requireNonNull(migration, "migration");
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(observation, "observation");
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * A pending migration the rehearsal did not run.
     *
     * @param track its track
     * @param migration the migration
     * @param reason why
     * @since 0.2.0
     */
    public record Skipped(Track track, MigrationEntry migration, String reason) {

        /**
         * Validate the components.
         *
         * @throws NullPointerException when a component is {@code null}
         */
        public Skipped {
            Objects.requireNonNull(track, "track");
            Objects.requireNonNull(migration, "migration");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
