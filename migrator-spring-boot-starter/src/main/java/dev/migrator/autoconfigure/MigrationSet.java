package dev.migrator.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Puts a migration bean (a Java {@code DataMigration}, a Flyway {@code JavaMigration}, a
 * {@code MigrationCheck} or a {@code MigratorCustomizer}) in a named migration set
 * ({@code migrator.sets.<name>}). Beans without it belong to the default set. On a class or on a
 * {@code @Bean} method.
 *
 * @since 0.1.0
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface MigrationSet {

    /**
     * The name of the set, as in {@code migrator.sets.<name>}; {@code default} for the default set.
     *
     * @return the set's name
     */
    String value();
}
