/** Implementation of migrator (lock); not an API: anything here may change without notice. */
@NullMarked
package dev.migrator.core.internal.lock;

import org.jspecify.annotations.NullMarked;
