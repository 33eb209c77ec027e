/** Implementation of migrator; not an API: anything here may change without notice. */
@NullMarked
package dev.migrator.core.internal;

import org.jspecify.annotations.NullMarked;
