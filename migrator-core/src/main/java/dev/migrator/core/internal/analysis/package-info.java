/** Implementation of migrator (change analysis); not an API: anything here may change without notice. */
@NullMarked
package dev.migrator.core.internal.analysis;

import org.jspecify.annotations.NullMarked;
