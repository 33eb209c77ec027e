package dev.migrator.core;

import java.util.Objects;
import java.util.Optional;

/**
 * One migration of a track, as status and reports list it.
 *
 * @param version the version, empty for a repeatable migration
 * @param description the description, from the file or class name
 * @param script the script or class that holds the migration
 * @param type how the migration runs, for example {@code SQL} or {@code JDBC}
 * @param reason why a pending migration does not run now, for example a schema version it waits
 *     for; empty otherwise
 * @since 0.1.0
 */
public record MigrationEntry(
        Optional<String> version, String description, String script, String type, Optional<String> reason) {

    /**
     * Validate the components.
     *
     * @throws NullPointerException when a component is {@code null}
     */
    public MigrationEntry {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * Create an entry with no reason.
     *
     * @param version the version, empty for a repeatable migration
     * @param description the description
     * @param script the script or class that holds the migration
     * @param type how the migration runs
     */
    public MigrationEntry(Optional<String> version, String description, String script, String type) {
        this(version, description, script, type, Optional.empty());
    }

    /**
     * Return this entry with a reason why it does not run now.
     *
     * @param reason the reason
     * @return a copy with the reason
     */
    public MigrationEntry withReason(String reason) {
        return new MigrationEntry(this.version, this.description, this.script, this.type, Optional.of(reason));
    }

    /**
     * Return a short name for messages: the version and description, or the description of a
     * repeatable migration.
     *
     * @return the display name, never {@code null}
     */
    public String displayName() {
        return this.version.map(v -> v + " " + this.description).orElse("repeatable " + this.description);
    }
}
