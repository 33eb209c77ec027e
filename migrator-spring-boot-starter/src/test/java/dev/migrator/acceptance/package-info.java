/** Acceptance tests that apply third-party migration sets through migrator and compare the result with a plain run. */
@NullMarked
package dev.migrator.acceptance;

import org.jspecify.annotations.NullMarked;
