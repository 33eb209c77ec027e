package dev.migrator.core.data;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link DataMigration} whose version and description come from its class name, as in Flyway:
 * {@code D3__BackfillEmailDomain} has version {@code 3} and description
 * {@code BackfillEmailDomain}; {@code D1_2__Fix_country_codes} has version {@code 1.2} and
 * description {@code Fix country codes}.
 *
 * @since 0.1.0
 */
public abstract class BaseDataMigration implements DataMigration {

    private static final Pattern NAME = Pattern.compile("[A-Za-z]+([0-9]+(?:_[0-9]+)*)__(.+)");

    private final String version;

    private final String description;

    /**
     * Derive the version and description from the class name.
     *
     * @throws MigratorException when the class name has no version, such as {@code BackfillJob}
     */
    protected BaseDataMigration() {
        String name = getClass().getSimpleName();
        Matcher matcher = NAME.matcher(name);
        if (!matcher.matches()) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "Data migration class '" + getClass().getName() + "' has no version in its name.",
                    "Name it like 'D3__BackfillEmailDomain' (prefix, version, two underscores, description), or"
                            + " implement DataMigration directly.",
                    null);
        }
        this.version = matcher.group(1).replace('_', '.');
        this.description = matcher.group(2).replace('_', ' ');
    }

    @Override
    public String version() {
        return this.version;
    }

    @Override
    public String description() {
        return this.description;
    }
}
