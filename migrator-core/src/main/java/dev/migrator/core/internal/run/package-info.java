/** A run: its plan (the order of schema steps and data migrations, shared by run and preview) and its execution under the cluster lock. */
@NullMarked
package dev.migrator.core.internal.run;

import org.jspecify.annotations.NullMarked;
