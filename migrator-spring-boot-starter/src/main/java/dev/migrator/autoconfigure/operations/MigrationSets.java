package dev.migrator.autoconfigure.operations;

import dev.migrator.autoconfigure.descriptor.MigrationsDescriptor;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The migration sets of the service, in the order they run: the default set (the top-level
 * {@code migrator.*} properties) first, then the sets under {@code migrator.sets.<name>}. Startup,
 * the endpoint, health, metrics and command mode all go through it, so every surface covers every
 * set.
 *
 * @since 0.1.0
 */
public final class MigrationSets {

    /** The name of the default set, the one the top-level properties configure. */
    public static final String DEFAULT = "default";

    private final List<MigratorOperations> sets;

    /**
     * Create the sets.
     *
     * @param sets the operations of each set, in run order, the default set first
     */
    public MigrationSets(List<MigratorOperations> sets) {
        if (sets.isEmpty() || !DEFAULT.equals(sets.get(0).name())) {
            throw new IllegalArgumentException("The default set comes first");
        }
        this.sets = List.copyOf(sets);
    }

    /**
     * Return every set, in run order.
     *
     * @return the sets, the default one first
     */
    public List<MigratorOperations> all() {
        return this.sets;
    }

    /**
     * Return the default set.
     *
     * @return its operations
     */
    public MigratorOperations defaultSet() {
        return this.sets.get(0);
    }

    /**
     * Return whether the service declares sets beside the default one.
     *
     * @return {@code true} with at least one {@code migrator.sets.<name>}
     */
    public boolean hasNamedSets() {
        return this.sets.size() > 1;
    }

    /**
     * Return one set by name.
     *
     * @param name the set's name, {@value #DEFAULT} for the default set
     * @return its operations
     * @throws MigratorException naming the sets there are, when there is no such set
     */
    public MigratorOperations get(String name) {
        return this.sets.stream()
                .filter(set -> set.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new MigratorException(
                        ErrorCode.CONFIGURATION,
                        "There is no migration set '" + name + "'.",
                        "Name one of " + names() + ".",
                        null));
    }

    /**
     * Return the sets an operation works on: one by name, or all of them.
     *
     * @param name the set's name, or {@code null} for all sets
     * @return the sets, in run order
     * @throws MigratorException when there is no such set
     */
    public List<MigratorOperations> select(@Nullable String name) {
        return (name == null) ? this.sets : List.of(get(name));
    }

    /**
     * Describe where the database stands: the default set at the top level, as a single-set service
     * shows it, and with named sets each of them under {@code sets}, the overall status then being
     * the worst of all.
     *
     * @return the description
     */
    public MigrationsDescriptor describe() {
        MigrationsDescriptor main = defaultSet().describe();
        if (!hasNamedSets()) {
            return main;
        }
        Map<String, MigrationsDescriptor> named = new LinkedHashMap<>();
        this.sets.stream().skip(1).forEach(set -> named.put(set.name(), set.describe()));
        return main.withSets(named);
    }

    private String names() {
        return this.sets.stream()
                .map(MigratorOperations::name)
                .map(n -> "'" + n + "'")
                .collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return "MigrationSets"
                + this.sets.stream().map(MigratorOperations::name).toList();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof MigrationSets that && this.sets.equals(that.sets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.sets);
    }
}
