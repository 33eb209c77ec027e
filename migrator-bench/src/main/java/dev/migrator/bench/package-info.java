/** Benchmarks of migrator against Spring Boot's Flyway auto-configuration, plain Flyway and plain SQL. */
@NullMarked
package dev.migrator.bench;

import org.jspecify.annotations.NullMarked;
