/** Entities that generate compares with the migrations of its tests. */
@NullMarked
package dev.migrator.autoconfigure.generate.entities;

import org.jspecify.annotations.NullMarked;
