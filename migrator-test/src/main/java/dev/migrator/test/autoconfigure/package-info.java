/**
 * The {@code @MigratorTest} slice: test contexts whose database is a fresh clone of a migrated template, and the
 * {@link dev.migrator.test.autoconfigure.MigrationTester} for tests of single migrations.
 */
@NullMarked
package dev.migrator.test.autoconfigure;

import org.jspecify.annotations.NullMarked;
