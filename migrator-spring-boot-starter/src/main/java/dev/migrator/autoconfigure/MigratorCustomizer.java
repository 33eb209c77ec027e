package dev.migrator.autoconfigure;

import dev.migrator.core.Migrator;

/**
 * Callback to customize the {@link Migrator.Builder} after the {@code migrator.*} properties are
 * applied, for example to set Flyway options that have no property through
 * {@link Migrator.Builder#schemaCustomizer}. Beans of this type are applied in order.
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
    void customize(Migrator.Builder builder);
}
