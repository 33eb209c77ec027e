/** JPA entities for a few tables of the Marquez migrations (current). */
@NullMarked
package dev.migrator.acceptance.marquez.current;

import org.jspecify.annotations.NullMarked;
