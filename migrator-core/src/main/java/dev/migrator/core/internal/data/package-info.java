/** Implementation of migrator (data track); not an API: anything here may change without notice. */
@NullMarked
package dev.migrator.core.internal.data;

import org.jspecify.annotations.NullMarked;
