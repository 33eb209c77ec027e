package dev.migrator.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one track of migrations stands in the database.
 *
 * @param current the version applied last, empty when nothing is applied yet
 * @param target the version migrations run up to: {@code latest}, {@code current} or a version
 * @param pending the migrations a run would apply, in order; empty when up to date. An entry with a
 *     {@linkplain MigrationEntry#reason() reason} waits for something, such as a schema version
 * @param failed the migrations recorded as failed; empty normally
 * @since 0.1.0
 */
public record TrackStatus(
        Optional<String> current, String target, List<MigrationEntry> pending, List<MigrationEntry> failed) {

    /**
     * Validate and copy the components.
     *
     * @throws NullPointerException when a component is {@code null}
     */
    public TrackStatus {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(target, "target");
        pending = List.copyOf(pending);
        failed = List.copyOf(failed);
    }

    /**
     * Return whether nothing is pending and nothing failed.
     *
     * @return {@code true} when the track is at its target
     */
    public boolean isUpToDate() {
        return this.pending.isEmpty() && this.failed.isEmpty();
    }
}
