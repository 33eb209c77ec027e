package dev.migrator.core.data;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a Java data migration cannot be undone, and why: an undo whose path goes through
 * it stops before anything runs, with this reason. Without it, a migration that does not override
 * {@link DataMigration#undo(DataMigrationContext)} also stops an undo, as one that has no undo yet.
 *
 * @since 0.3.0
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Irreversible {

    /**
     * Return why the migration cannot be undone, such as {@code the old values are not kept}.
     *
     * @return the reason, not blank
     */
    String value();
}
