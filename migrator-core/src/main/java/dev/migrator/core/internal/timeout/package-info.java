/** Implementation of migrator (session timeouts, lock retries, blockers); not an API: anything here may change without notice. */
@NullMarked
package dev.migrator.core.internal.timeout;

import org.jspecify.annotations.NullMarked;
