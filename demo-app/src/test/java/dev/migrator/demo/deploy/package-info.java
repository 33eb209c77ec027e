/** Tests of the deployment examples in the repository's {@code examples} folder. */
@NullMarked
package dev.migrator.demo.deploy;

import org.jspecify.annotations.NullMarked;
