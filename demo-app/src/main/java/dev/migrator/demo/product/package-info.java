/**
 * The product catalog, kept by the repeatable data migration {@code db/data/R__product_catalog.sql} and read through
 * {@code /api/products}.
 */
@NullMarked
package dev.migrator.demo.product;

import org.jspecify.annotations.NullMarked;
