package dev.migrator.autoconfigure.flyway;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorConfiguration;
import dev.migrator.core.MigratorException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.BindResult;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.core.env.Environment;

/**
 * Boot's {@code spring.flyway.*} properties, read for a service that swapped
 * {@code spring-boot-starter-flyway} for migrator's starter. Settings migrator owns (locations,
 * table, target, baseline, placeholders, ...) become migrator settings unless the matching
 * {@code migrator.*} property is set, which wins; the rest configure the schema track's Flyway as
 * Boot's auto-configuration would. Properties with no effect on PostgreSQL's community Flyway are
 * named in a warning.
 *
 * @since 0.1.0
 */
public final class SpringFlywayProperties {

    private static final Logger logger = LoggerFactory.getLogger(SpringFlywayProperties.class);

    private static final String PREFIX = "spring.flyway.";

    /** Boot's properties that do nothing for PostgreSQL on Flyway's community edition. */
    private static final List<String> WITHOUT_EFFECT = List.of(
            "batch",
            "dry-run-output",
            "error-overrides",
            "stream",
            "kerberos-config-file",
            "output-query-results",
            "skip-executing-migrations",
            "powershell-executable",
            "oracle.sqlplus",
            "oracle.sqlplus-warn",
            "oracle.kerberos-cache-file",
            "oracle.wallet-location",
            "sqlserver.kerberos-login-file");

    private static final Bindable<List<String>> STRINGS = Bindable.listOf(String.class);

    private static final Bindable<Map<String, String>> STRING_MAP = Bindable.mapOf(String.class, String.class);

    private final Binder binder;

    /**
     * Whether a {@code spring.flyway.*} property may be set: when no source holds one, as for a
     * service that never used Boot's Flyway, none of the keys read here is looked up one by one (each
     * look-up asks every property source).
     */
    private final boolean anySet;

    private final List<String> overridden = new ArrayList<>();

    /**
     * Read the properties of an environment.
     *
     * @param environment the application's environment
     */
    public SpringFlywayProperties(Environment environment) {
        this.binder = Binder.get(environment);
        ConfigurationPropertyName prefix = ConfigurationPropertyName.of("spring.flyway");
        boolean anySet = false;
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source.containsDescendantOf(prefix) != ConfigurationPropertyState.ABSENT) {
                anySet = true;
                break;
            }
        }
        this.anySet = anySet;
    }

    /**
     * Set the migrator settings that {@code spring.flyway.*} configures and {@code migrator.*} does
     * not, and a customizer of the schema track's Flyway for the rest.
     *
     * @param configuration the configuration the {@code migrator.*} properties were applied to
     * @throws MigratorException when {@code spring.flyway.locations} and
     *     {@code migrator.schema.locations} are both set and differ
     */
    public void applyTo(MigratorConfiguration configuration) {
        if (!this.anySet) {
            return;
        }
        List<String> locations = this.binder.bind(PREFIX + "locations", STRINGS).orElse(null);
        List<String> migratorLocations =
                this.binder.bind("migrator.schema.locations", STRINGS).orElse(null);
        if (locations != null && migratorLocations != null && !locations.equals(migratorLocations)) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "spring.flyway.locations is '" + String.join(",", locations)
                            + "' but migrator.schema.locations is '" + String.join(",", migratorLocations) + "'.",
                    "Keep one of them (migrator.schema.locations is migrator's own), or set both to the same"
                            + " locations.",
                    null);
        }
        owned("enabled", "migrator.schema.enabled", Boolean.class, configuration::schemaEnabled);
        owned("locations", "migrator.schema.locations", STRINGS, configuration::schemaLocations);
        owned("table", "migrator.schema.table", Bindable.of(String.class), configuration::schemaTable);
        owned("target", "migrator.schema.target", Bindable.of(String.class), configuration::schemaTarget);
        owned(
                "baseline-on-migrate",
                "migrator.schema.baseline-on-migrate",
                Boolean.class,
                configuration::baselineOnMigrate);
        owned(
                "baseline-version",
                "migrator.schema.baseline-version",
                Bindable.of(String.class),
                configuration::baselineVersion);
        owned("placeholders", "migrator.schema.placeholders", STRING_MAP, configuration::placeholders);
        owned("out-of-order", "migrator.schema.out-of-order", Boolean.class, configuration::outOfOrder);
        owned(
                "postgresql.transactional-lock",
                "migrator.schema.postgresql-transactional-lock",
                Boolean.class,
                configuration::postgresqlTransactionalLock);
        schemas()
                .ifPresent(schemas -> owned(
                        "schemas", "migrator.schema.schemas", STRINGS, ignored -> configuration.schemas(schemas)));
        Optional<Integer> retries = optional(this.binder.bind(PREFIX + "connect-retries", Integer.class));
        if (retries.isPresent() && !isBound("migrator.connect-retries", Bindable.of(Integer.class))) {
            Duration interval = this.binder
                    .bind(PREFIX + "connect-retries-interval", Duration.class)
                    .orElse(configuration.settings().connectRetriesInterval());
            configuration.connectRetries(retries.get(), interval);
        }
        if (!this.overridden.isEmpty()) {
            logger.warn(
                    "{} set as well as the migrator.* properties that replace them; migrator's win",
                    String.join(", ", this.overridden));
        }
        List<String> ignored = WITHOUT_EFFECT.stream()
                .filter(key -> isBound(PREFIX + key, Bindable.of(String.class)) || isBound(PREFIX + key, STRINGS))
                .map(key -> PREFIX + key)
                .toList();
        if (!ignored.isEmpty()) {
            logger.warn(
                    "{} have no effect: they configure Flyway's paid editions or other databases, and migrator runs"
                            + " the community Flyway on PostgreSQL. Remove them.",
                    String.join(", ", ignored));
        }
        configuration.schemaCustomizer(this::configureFlyway);
    }

    /**
     * Return the connection {@code spring.flyway.url}, {@code user} and {@code password} name, for
     * migrations on a connection of their own as Boot would open it.
     *
     * @return the URL, user and password; each {@code null} when not set
     */
    public Connection connection() {
        if (!this.anySet) {
            return new Connection(null, null, null);
        }
        return new Connection(
                this.binder.bind(PREFIX + "url", String.class).orElse(null),
                this.binder.bind(PREFIX + "user", String.class).orElse(null),
                this.binder.bind(PREFIX + "password", String.class).orElse(null));
    }

    /**
     * The connection the {@code spring.flyway.*} properties name.
     *
     * @param url the JDBC URL, or {@code null}
     * @param user the user, or {@code null}
     * @param password the password, or {@code null}
     */
    public record Connection(
            @Nullable String url,
            @Nullable String user,
            @Nullable String password) {}

    private Optional<List<String>> schemas() {
        Optional<String> defaultSchema = optional(this.binder.bind(PREFIX + "default-schema", String.class));
        Optional<List<String>> schemas = optional(this.binder.bind(PREFIX + "schemas", STRINGS));
        if (defaultSchema.isEmpty() && schemas.isEmpty()) {
            return Optional.empty();
        }
        // migrator keeps its history tables in the first schema, where Flyway's default schema goes.
        List<String> all = new ArrayList<>();
        defaultSchema.ifPresent(all::add);
        schemas.orElse(List.of()).stream()
                .filter(schema -> !all.contains(schema))
                .forEach(all::add);
        return Optional.of(all);
    }

    private <T> void owned(String key, String migratorProperty, Class<T> type, Consumer<T> setter) {
        owned(key, migratorProperty, Bindable.of(type), setter);
    }

    private <T> void owned(String key, String migratorProperty, Bindable<T> type, Consumer<T> setter) {
        Optional<T> value = optional(this.binder.bind(PREFIX + key, type));
        if (value.isEmpty()) {
            return;
        }
        if (isBound(migratorProperty, type)) {
            this.overridden.add(PREFIX + key);
            return;
        }
        setter.accept(value.get());
    }

    private static <T> Optional<T> optional(BindResult<T> result) {
        return result.isBound() ? Optional.of(result.get()) : Optional.empty();
    }

    private boolean isBound(String property, Bindable<?> type) {
        return this.binder.bind(property, type).isBound();
    }

    private void configureFlyway(FluentConfiguration flyway) {
        Settings settings = new Settings(this.binder);
        settings.bool("fail-on-missing-locations", flyway::failOnMissingLocations);
        settings.strings("callback-locations", values -> flyway.callbackLocations(values.toArray(String[]::new)));
        settings.value("encoding", Charset.class, flyway::encoding);
        settings.bool("create-schemas", flyway::createSchemas);
        settings.string("tablespace", flyway::tablespace);
        settings.string("baseline-description", flyway::baselineDescription);
        settings.string("installed-by", flyway::installedBy);
        settings.string("placeholder-prefix", flyway::placeholderPrefix);
        settings.string("placeholder-suffix", flyway::placeholderSuffix);
        settings.string("placeholder-separator", flyway::placeholderSeparator);
        settings.bool("placeholder-replacement", flyway::placeholderReplacement);
        settings.string("sql-migration-prefix", flyway::sqlMigrationPrefix);
        settings.strings(
                "sql-migration-suffixes", values -> flyway.sqlMigrationSuffixes(values.toArray(String[]::new)));
        settings.string("sql-migration-separator", flyway::sqlMigrationSeparator);
        settings.string("repeatable-sql-migration-prefix", flyway::repeatableSqlMigrationPrefix);
        settings.bool("clean-disabled", flyway::cleanDisabled);
        settings.bool("group", flyway::group);
        settings.bool("mixed", flyway::mixed);
        settings.bool("skip-default-callbacks", flyway::skipDefaultCallbacks);
        settings.bool("skip-default-resolvers", flyway::skipDefaultResolvers);
        settings.bool("validate-migration-naming", flyway::validateMigrationNaming);
        settings.bool("validate-on-migrate", flyway::validateOnMigrate);
        settings.strings("init-sqls", values -> flyway.initSql(String.join("\n", values)));
        settings.string("script-placeholder-prefix", flyway::scriptPlaceholderPrefix);
        settings.string("script-placeholder-suffix", flyway::scriptPlaceholderSuffix);
        settings.bool("execute-in-transaction", flyway::executeInTransaction);
        settings.strings("loggers", values -> flyway.loggers(values.toArray(String[]::new)));
        settings.bool("community-db-support-enabled", flyway::communityDBSupportEnabled);
        settings.strings(
                "ignore-migration-patterns", values -> flyway.ignoreMigrationPatterns(values.toArray(String[]::new)));
        settings.bool("detect-encoding", flyway::detectEncoding);
        settings.value("lock-retry-count", Integer.class, flyway::lockRetryCount);
        Map<String, String> jdbcProperties =
                this.binder.bind(PREFIX + "jdbc-properties", STRING_MAP).orElse(new LinkedHashMap<>());
        if (!jdbcProperties.isEmpty()) {
            flyway.jdbcProperties(jdbcProperties);
        }
    }

    /** Binds one {@code spring.flyway.*} property at a time and hands a bound value to its setter. */
    private record Settings(Binder binder) {

        void bool(String key, Consumer<Boolean> setter) {
            value(key, Boolean.class, setter);
        }

        void string(String key, Consumer<String> setter) {
            value(key, String.class, setter);
        }

        void strings(String key, Consumer<List<String>> setter) {
            this.binder.bind(PREFIX + key, STRINGS).ifBound(setter);
        }

        <T> void value(String key, Class<T> type, Consumer<T> setter) {
            this.binder.bind(PREFIX + key, type).ifBound(setter);
        }
    }
}
