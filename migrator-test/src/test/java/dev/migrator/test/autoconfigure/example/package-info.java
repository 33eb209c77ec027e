/** The example application of the slice tests: Java migrations and an ordinary service. */
@NullMarked
package dev.migrator.test.autoconfigure.example;

import org.jspecify.annotations.NullMarked;
