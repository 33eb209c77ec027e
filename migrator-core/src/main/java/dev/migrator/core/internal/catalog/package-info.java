/** Implementation of migrator (reading and comparing the catalog); not an API: anything here may change without notice. */
@NullMarked
package dev.migrator.core.internal.catalog;

import org.jspecify.annotations.NullMarked;
