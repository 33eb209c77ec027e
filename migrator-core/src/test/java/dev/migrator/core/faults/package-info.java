/** Fault trials: runs killed with SIGKILL and lock sessions terminated at random moments, then restarted. */
package dev.migrator.core.faults;
