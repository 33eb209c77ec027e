/**
 * A small shop service that gets its PostgreSQL schema from migrator.
 */
@NullMarked
package dev.migrator.demo;

import org.jspecify.annotations.NullMarked;
