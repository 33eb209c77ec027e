/** Benchmarks of migrator against Spring Boot's Flyway auto-configuration and plain Flyway. */
@NullMarked
package dev.migrator.bench;

import org.jspecify.annotations.NullMarked;
