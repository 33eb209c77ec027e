/** What operators act through: runs with a trigger, the last run, the checks and the run events; used by startup, command mode and the actuator. */
@NullMarked
package dev.migrator.autoconfigure.operations;

import org.jspecify.annotations.NullMarked;
