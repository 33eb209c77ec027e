package dev.migrator.core;

/**
 * How messages name settings and the connection, so that a failure tells each user what to change
 * in the terms they configure migrator with. The core's own wording, {@link #CORE}, names the
 * methods of {@link MigratorConfiguration}; the Spring Boot starter words them as {@code migrator.*}
 * properties.
 *
 * @since 0.1.0
 */
public interface SettingNames {

    /** Names after {@link MigratorConfiguration}'s methods, such as {@code schemaTarget}. */
    SettingNames CORE = new SettingNames() {

        @Override
        public String setting(Setting setting) {
            return setting.componentName();
        }

        @Override
        public String connection() {
            return "the DataSource";
        }

        @Override
        public String credentials() {
            return "the user and password of the DataSource";
        }

        @Override
        public String ownerLogin() {
            return "a DataSource that logs in as the owner";
        }
    };

    /**
     * Name a setting, unquoted.
     *
     * @param setting the setting
     * @return its name, for example {@code schemaTarget} or {@code migrator.schema.target}
     */
    String setting(Setting setting);

    /**
     * Name what says which database to connect to.
     *
     * @return for example {@code the DataSource}
     */
    String connection();

    /**
     * Name what holds the login of the migration connection.
     *
     * @return for example {@code the user and password of the DataSource}
     */
    String credentials();

    /**
     * Name how to run migrations as the owner of the schema, for a missing privilege.
     *
     * @return for example {@code a DataSource that logs in as the owner}
     */
    String ownerLogin();

    /**
     * Name a setting in single quotes, as messages show it.
     *
     * @param setting the setting
     * @return the quoted name
     */
    default String quoted(Setting setting) {
        return "'" + setting(setting) + "'";
    }
}
