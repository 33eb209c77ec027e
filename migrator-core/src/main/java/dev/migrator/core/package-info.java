/** The migrator facade and its value types. */
@NullMarked
package dev.migrator.core;

import org.jspecify.annotations.NullMarked;
