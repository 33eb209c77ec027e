/** Spring Boot auto-configuration for migrator: properties, startup migration and failure analysis. */
@NullMarked
package dev.migrator.autoconfigure;

import org.jspecify.annotations.NullMarked;
