package dev.migrator.autoconfigure.command;

/**
 * Ends the JVM after a command-mode command, with the command's exit code. The default calls
 * {@link System#exit(int)}; declare a bean of this type to do otherwise, for example in a test.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface MigratorCommandExit {

    /**
     * Exit with the code.
     *
     * @param code the exit code
     */
    void exit(int code);
}
