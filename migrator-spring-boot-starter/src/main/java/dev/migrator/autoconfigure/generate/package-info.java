/**
 * The entities against the migrations: {@code migrator.command=generate} writes the next schema migration from what
 * Hibernate would change, in the safe forms of the change analysis, and {@link EntityModel} compares the entities with
 * a database for tests.
 */
@NullMarked
package dev.migrator.autoconfigure.generate;

import org.jspecify.annotations.NullMarked;
