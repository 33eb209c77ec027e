/** The cluster-wide migration lock as users see it: who holds it and what a timeout reports. */
@NullMarked
package dev.migrator.core.lock;

import org.jspecify.annotations.NullMarked;
