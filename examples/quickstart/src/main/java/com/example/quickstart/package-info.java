/** The README's quick start, built the way a user builds a service. */
@NullMarked
package com.example.quickstart;

import org.jspecify.annotations.NullMarked;
