/** Spring Boot auto-configuration for migrator: the auto-configuration, its {@code migrator.*} properties and extension points. */
@NullMarked
package dev.migrator.autoconfigure;

import org.jspecify.annotations.NullMarked;
