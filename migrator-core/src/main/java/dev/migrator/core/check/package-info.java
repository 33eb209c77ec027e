/** Post-migration health checks: SQL checks, Java checks and their results. */
@NullMarked
package dev.migrator.core.check;

import org.jspecify.annotations.NullMarked;
