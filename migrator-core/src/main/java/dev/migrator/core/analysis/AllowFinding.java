package dev.migrator.core.analysis;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Allows a finding of the change analysis in a Java migration (a data migration or a Flyway Java
 * migration), with the reason; the SQL form is {@code -- migrator:allow <rule> <reason>}. An allowed
 * finding is still reported, with the reason, and fails nothing. A rule name that does not exist is
 * an error.
 *
 * @since 0.2.0
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(AllowFindings.class)
public @interface AllowFinding {

    /**
     * The rule's name, such as {@code drop-column}.
     *
     * @return the name
     */
    String rule();

    /**
     * Why the migration may do this, for the reviewer.
     *
     * @return the reason, not blank
     */
    String reason();
}
