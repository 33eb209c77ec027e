/**
 * Internal: PostgreSQL servers, template databases and their clones behind the test support. Not API: anything here
 * may change without notice.
 */
@NullMarked
package dev.migrator.test.internal;

import org.jspecify.annotations.NullMarked;
