/** Real PostgreSQL for tests: one server per JVM and a fresh database per test class. */
@NullMarked
package dev.migrator.test.postgres;

import org.jspecify.annotations.NullMarked;
