/** Implementation of migrator (checks); not an API: anything here may change without notice. */
@NullMarked
package dev.migrator.core.internal.check;

import org.jspecify.annotations.NullMarked;
