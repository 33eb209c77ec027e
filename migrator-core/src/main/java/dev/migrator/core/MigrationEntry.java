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
 * @since 0.1.0
 */
public record MigrationEntry(Optional<String> version, String description, String script, String type) {

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
