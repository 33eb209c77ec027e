/** The JSON contract of {@code GET /actuator/migrations} and of command mode's JSON output, its text redacted. */
@NullMarked
package dev.migrator.autoconfigure.descriptor;

import org.jspecify.annotations.NullMarked;
