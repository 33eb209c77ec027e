/** JPA entities for a few tables of the Marquez migrations (changed). */
@NullMarked
package dev.migrator.acceptance.marquez.changed;

import org.jspecify.annotations.NullMarked;
