package dev.migrator.core;

/**
 * A setting with a value migrator cannot use. Its message names the setting as
 * {@link SettingNames#CORE} does; {@link #named(SettingNames)} words it for another integration.
 */
final class InvalidSettingException extends MigratorException {

    private final Setting setting;

    private final String value;

    InvalidSettingException(Setting setting, String value, String action) {
        this(setting, value, action, SettingNames.CORE);
    }

    private InvalidSettingException(Setting setting, String value, String action, SettingNames names) {
        super(
                ErrorCode.CONFIGURATION,
                "Invalid value '" + value + "' for " + names.quoted(setting) + ".",
                action,
                null);
        this.setting = setting;
        this.value = value;
    }

    /** Return this failure with the setting named as the given names do. */
    InvalidSettingException named(SettingNames names) {
        return new InvalidSettingException(this.setting, this.value, action(), names);
    }
}
