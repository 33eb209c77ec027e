/** JPA entities of the example application, for the entity check. */
@NullMarked
package dev.migrator.test.autoconfigure.entities;

import org.jspecify.annotations.NullMarked;
