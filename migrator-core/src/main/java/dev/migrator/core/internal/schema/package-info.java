/** Implementation of migrator (schema); not an API: anything here may change without notice. */
@NullMarked
package dev.migrator.core.internal.schema;

import org.jspecify.annotations.NullMarked;
