/** Finding migration, check and script files in {@code classpath:} and {@code filesystem:} locations. */
@NullMarked
package dev.migrator.core.internal.resource;

import org.jspecify.annotations.NullMarked;
