/** Implementation of migrator (jdbc); not an API: anything here may change without notice. */
@NullMarked
package dev.migrator.core.internal.jdbc;

import org.jspecify.annotations.NullMarked;
