/** A backfill killed with SIGKILL half-way, in a child JVM, and finished by the next run. */
@NullMarked
package dev.migrator.core.data.crash;

import org.jspecify.annotations.NullMarked;
