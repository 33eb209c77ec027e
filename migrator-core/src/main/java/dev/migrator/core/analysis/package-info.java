/** Change analysis: what a migration did to objects that existed before it, as findings. */
@NullMarked
package dev.migrator.core.analysis;

import org.jspecify.annotations.NullMarked;
