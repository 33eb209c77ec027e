/** Startup: the schema initializer (a database initializer that JPA and JDBC users wait for), the data initializer, on-pending handling and the failure analyzer. */
@NullMarked
package dev.migrator.autoconfigure.startup;

import org.jspecify.annotations.NullMarked;
