package dev.migrator.autoconfigure;

import dev.migrator.core.MigratorConfiguration;

/**
 * Callback to customize the {@link MigratorConfiguration} after the {@code migrator.*} properties are
 * applied, for example to set Flyway options that have no property through
 * {@link MigratorConfiguration#schemaCustomizer}. Beans of this type are applied in order.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface MigratorCustomizer {

    /**
     * Customize the builder.
     *
     * @param builder the builder, with the properties already applied
     */
    void customize(MigratorConfiguration builder);
}
