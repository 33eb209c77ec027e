/** Command mode: runs one {@code migrator.command} instead of serving, prints its result as text or JSON and exits with its code. */
@NullMarked
package dev.migrator.autoconfigure.command;

import org.jspecify.annotations.NullMarked;
