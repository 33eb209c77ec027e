/**
 * Customers of the shop: entity, repository, the {@code /api/customers} endpoints, and the Java data migrations that
 * seed demo customers and backfill their email domain.
 */
@NullMarked
package dev.migrator.demo.customer;

import org.jspecify.annotations.NullMarked;
