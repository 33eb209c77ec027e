/** Actuator support for migrator: the {@code migrations} endpoint, its health indicator and its metrics. */
@NullMarked
package dev.migrator.actuate;

import org.jspecify.annotations.NullMarked;
