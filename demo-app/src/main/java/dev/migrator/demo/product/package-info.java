/**
 * The product catalog, seeded by a schema migration and read through {@code /api/products}.
 */
@NullMarked
package dev.migrator.demo.product;

import org.jspecify.annotations.NullMarked;
