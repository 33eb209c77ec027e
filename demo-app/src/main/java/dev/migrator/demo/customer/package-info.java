/**
 * Customers of the shop: entity, repository and the {@code /api/customers} endpoints.
 */
@NullMarked
package dev.migrator.demo.customer;

import org.jspecify.annotations.NullMarked;
