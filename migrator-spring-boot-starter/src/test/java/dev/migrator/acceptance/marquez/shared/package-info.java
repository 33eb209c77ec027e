/** JPA entities for three tables of the Marquez migrations that both models share. */
@NullMarked
package dev.migrator.acceptance.marquez.shared;

import org.jspecify.annotations.NullMarked;
