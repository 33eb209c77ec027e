/** The data track: data migrations in SQL and Java, their context and the batched backfill helper. */
@NullMarked
package dev.migrator.core.data;

import org.jspecify.annotations.NullMarked;
