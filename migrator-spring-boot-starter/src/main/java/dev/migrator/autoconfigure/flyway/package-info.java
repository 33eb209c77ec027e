/** Switching from spring-boot-flyway: Boot's {@code spring.flyway.*} properties and Flyway beans on migrator's schema track. */
@NullMarked
package dev.migrator.autoconfigure.flyway;

import org.jspecify.annotations.NullMarked;
