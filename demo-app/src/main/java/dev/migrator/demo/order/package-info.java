/**
 * Purchase orders and their lines: placing and reading them through {@code /api/orders}.
 */
@NullMarked
package dev.migrator.demo.order;

import org.jspecify.annotations.NullMarked;
