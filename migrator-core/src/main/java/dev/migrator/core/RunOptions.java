package dev.migrator.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of one operation, passed to it instead of configured into the {@link Migrator}: where
 * each track stops and how long a run waits for the cluster lock. An empty option keeps the
 * migrator's setting.
 *
 * <pre>{@code
 * migrator.migrate(RunOptions.defaults().schemaTarget("7").lockWaitTimeout(Duration.ofSeconds(5)));
 * }</pre>
 *
 * @param schemaTarget the schema version to stop at: {@code latest}, {@code current} or a version
 * @param dataTarget the data version to stop at: {@code latest}, {@code current} or a version
 * @param lockWaitTimeout the longest wait for the cluster lock
 * @since 0.1.0
 */
public record RunOptions(
        Optional<String> schemaTarget, Optional<String> dataTarget, Optional<Duration> lockWaitTimeout) {

    private static final RunOptions DEFAULTS = new RunOptions(Optional.empty(), Optional.empty(), Optional.empty());

    /**
     * Validate the components.
     *
     * @throws NullPointerException when a component is {@code null}
     * @throws MigratorException when a target is malformed or the wait is negative
     */
    public RunOptions {
        Objects.requireNonNull(schemaTarget, "schemaTarget");
        Objects.requireNonNull(dataTarget, "dataTarget");
        Objects.requireNonNull(lockWaitTimeout, "lockWaitTimeout");
        schemaTarget.ifPresent(target -> MigratorSettings.requireTarget(Setting.SCHEMA_TARGET, target, "'7'"));
        dataTarget.ifPresent(target -> MigratorSettings.requireTarget(Setting.DATA_TARGET, target, "'3'"));
        lockWaitTimeout.filter(Duration::isNegative).ifPresent(timeout -> {
            throw new InvalidSettingException(
                    Setting.LOCK_WAIT_TIMEOUT, timeout.toString(), "Use a duration of zero or more.");
        });
    }

    /**
     * Return the options that keep every setting of the migrator.
     *
     * @return the default options, never {@code null}
     */
    public static RunOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Return these options with a schema target.
     *
     * @param target {@code latest}, {@code current} or a version
     * @return the new options
     * @throws MigratorException when the target is malformed
     */
    public RunOptions schemaTarget(String target) {
        return new RunOptions(Optional.of(target), this.dataTarget, this.lockWaitTimeout);
    }

    /**
     * Return these options with a data target.
     *
     * @param target {@code latest}, {@code current} or a version
     * @return the new options
     * @throws MigratorException when the target is malformed
     */
    public RunOptions dataTarget(String target) {
        return new RunOptions(this.schemaTarget, Optional.of(target), this.lockWaitTimeout);
    }

    /**
     * Return these options with a wait for the cluster lock.
     *
     * @param timeout the longest wait
     * @return the new options
     */
    public RunOptions lockWaitTimeout(Duration timeout) {
        return new RunOptions(this.schemaTarget, this.dataTarget, Optional.of(timeout));
    }

    /**
     * Return the schema target these options give, or the settings' one.
     *
     * @param settings the migrator's settings
     * @return the schema target of the run
     */
    public String schemaTarget(MigratorSettings settings) {
        return this.schemaTarget.orElse(settings.schemaTarget());
    }

    /**
     * Return the data target these options give, or the settings' one.
     *
     * @param settings the migrator's settings
     * @return the data target of the run
     */
    public String dataTarget(MigratorSettings settings) {
        return this.dataTarget.orElse(settings.dataTarget());
    }

    /**
     * Return the lock wait these options give, or the settings' one.
     *
     * @param settings the migrator's settings
     * @return the longest wait for the lock in this run
     */
    public Duration lockWaitTimeout(MigratorSettings settings) {
        return this.lockWaitTimeout.orElse(settings.lockWaitTimeout());
    }
}
