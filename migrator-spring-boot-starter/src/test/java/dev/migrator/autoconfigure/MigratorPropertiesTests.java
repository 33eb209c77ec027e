package dev.migrator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.DataOrdering;
import dev.migrator.core.Migrator;
import dev.migrator.core.MigratorSettings;
import dev.migrator.core.Setting;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every setting of the core is bound by one documented property whose default is the core's, so
 * that the starter changes nothing by itself and no setting is left without a property.
 */
class MigratorPropertiesTests {

    /** Settings whose default the metadata cannot show: empty collections, and a host-dependent name. */
    private static final Set<Setting> NO_METADATA_DEFAULT =
            Set.of(Setting.SCHEMAS, Setting.PLACEHOLDERS, Setting.APPLICATION_NAME);

    /** A value other than the default for each setting, as a property value, and what it binds to. */
    private static final Map<Setting, Sample> SAMPLES = samples();

    private final MigratorProperties properties = new MigratorProperties();

    private final MigratorSettings defaults = MigratorSettings.defaults();

    @Test
    void schemaDefaultsMatchTheCoreDefaults() {
        MigratorProperties.Schema schema = this.properties.getSchema();
        assertThat(schema.getLocations()).isEqualTo(this.defaults.schemaLocations());
        assertThat(schema.getTable()).isEqualTo(this.defaults.schemaTable());
        assertThat(schema.getSchemas()).isEqualTo(this.defaults.schemas());
        assertThat(schema.getTarget()).isEqualTo(this.defaults.schemaTarget());
        assertThat(schema.isBaselineOnMigrate()).isEqualTo(this.defaults.baselineOnMigrate());
        assertThat(schema.getBaselineVersion()).isEqualTo(this.defaults.baselineVersion());
        assertThat(schema.getPlaceholders()).isEqualTo(this.defaults.placeholders());
        assertThat(schema.isOutOfOrder()).isEqualTo(this.defaults.outOfOrder());
        assertThat(schema.isPostgresqlTransactionalLock()).isEqualTo(this.defaults.postgresqlTransactionalLock());
    }

    @Test
    void dataDefaultsMatchTheCoreDefaults() {
        MigratorProperties.Data data = this.properties.getData();
        assertThat(data.isEnabled()).isEqualTo(this.defaults.dataEnabled());
        assertThat(data.getLocations()).isEqualTo(this.defaults.dataLocations());
        assertThat(data.getPrefix()).isEqualTo(this.defaults.dataPrefix());
        assertThat(data.getOrdering()).isEqualTo(this.defaults.dataOrdering());
        assertThat(data.getTable()).isEqualTo(this.defaults.dataTable());
        assertThat(data.getTarget()).isEqualTo(this.defaults.dataTarget());
        assertThat(data.getBatchSize()).isEqualTo(this.defaults.batchSize());
    }

    @Test
    void connectionAndLockDefaultsMatchTheCoreDefaults() {
        assertThat(this.properties.getConnectRetries()).isEqualTo(this.defaults.connectRetries());
        assertThat(this.properties.getConnectRetriesInterval()).isEqualTo(this.defaults.connectRetriesInterval());
        assertThat(this.properties.getLock().getWaitTimeout()).isEqualTo(this.defaults.lockWaitTimeout());
    }

    @Test
    void timeoutDefaultsMatchTheCoreDefaults() {
        MigratorProperties.Timeouts timeouts = this.properties.getTimeouts();
        assertThat(timeouts.getLockTimeout()).isEqualTo(this.defaults.lockTimeout());
        assertThat(timeouts.getLockTimeoutMax()).isEqualTo(this.defaults.lockTimeoutMax());
        assertThat(timeouts.getLockRetries()).isEqualTo(this.defaults.lockRetries());
        assertThat(timeouts.getLockRetryBackoff()).isEqualTo(this.defaults.lockRetryBackoff());
        assertThat(timeouts.getStatementTimeout()).isEqualTo(this.defaults.statementTimeout());
        assertThat(timeouts.getNonTransactionalLockTimeout()).isEqualTo(this.defaults.nonTransactionalLockTimeout());
        assertThat(timeouts.getNonTransactionalStatementTimeout())
                .isEqualTo(this.defaults.nonTransactionalStatementTimeout());
        assertThat(this.properties.getAnalysis().isEnabled()).isEqualTo(this.defaults.analysis());
    }

    @Test
    void startupDefaultsAreOnAutoRunAndWarn() {
        assertThat(this.properties.isEnabled()).isTrue();
        assertThat(this.properties.isAutoRun()).isTrue();
        assertThat(this.properties.getOnPending()).isEqualTo(MigratorProperties.OnPending.WARN);
    }

    @Test
    void everySettingIsBoundByAPropertyDocumentedInTheMetadata() throws Exception {
        Map<String, JsonNode> metadata = metadata();
        for (Setting setting : Setting.values()) {
            String property = MigratorProperties.propertyName(setting);
            assertThat(metadata).as("metadata of %s", property).containsKey(property);
            assertThat(metadata.get(property).path("description").asString(""))
                    .as("description of %s", property)
                    .isNotBlank();
        }
    }

    @Test
    void everyPropertyMapsOntoItsSetting() {
        for (Setting setting : Setting.values()) {
            Sample sample = SAMPLES.get(setting);
            assertThat(sample).as("a sample value for %s", setting).isNotNull();
            Map<String, String> values =
                    Map.of(MigratorProperties.propertyName(setting) + sample.suffix(), sample.value());

            MigratorSettings settings = bind(values);

            assertThat(component(settings, setting))
                    .as("%s bound from %s", setting, values)
                    .isEqualTo(sample.bound());
            assertThat(component(MigratorSettings.defaults(), setting))
                    .as("the sample of %s differs from its default", setting)
                    .isNotEqualTo(sample.bound());
        }
    }

    @Test
    void theDefaultOfEveryPropertyIsTheCoresDefault() throws Exception {
        assertThat(bind(Map.of())).isEqualTo(MigratorSettings.defaults());
        Map<String, JsonNode> metadata = metadata();
        for (Setting setting : Setting.values()) {
            String property = MigratorProperties.propertyName(setting);
            JsonNode defaultValue = metadata.get(property).get("defaultValue");
            if (NO_METADATA_DEFAULT.contains(setting)) {
                assertThat(defaultValue).as("no default shown for %s", property).isNull();
                continue;
            }
            assertThat(defaultValue).as("the default shown for %s", property).isNotNull();
            Map<String, String> values = new HashMap<>();
            if (defaultValue.isArray()) {
                for (int i = 0; i < defaultValue.size(); i++) {
                    values.put(property + "[" + i + "]", defaultValue.get(i).asString());
                }
            } else {
                values.put(property, defaultValue.asString());
            }
            assertThat(component(bind(values), setting))
                    .as("the documented default of %s", property)
                    .isEqualTo(component(MigratorSettings.defaults(), setting));
        }
    }

    private static MigratorSettings bind(Map<String, String> values) {
        MigratorProperties properties = new MigratorProperties();
        new Binder(new MapConfigurationPropertySource(values)).bind("migrator", Bindable.ofInstance(properties));
        return properties.applyTo(Migrator.configure(new PGSimpleDataSource())).settings();
    }

    private static Object component(MigratorSettings settings, Setting setting) {
        for (RecordComponent component : MigratorSettings.class.getRecordComponents()) {
            if (component.getName().equals(setting.componentName())) {
                try {
                    return component.getAccessor().invoke(settings);
                } catch (ReflectiveOperationException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        throw new IllegalStateException("No component for " + setting);
    }

    private static Map<String, JsonNode> metadata() throws Exception {
        Map<String, JsonNode> properties = new HashMap<>();
        JsonMapper json = JsonMapper.builder().build();
        List<java.net.URL> files = new ArrayList<>();
        MigratorPropertiesTests.class
                .getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json")
                .asIterator()
                .forEachRemaining(files::add);
        for (java.net.URL file : files) {
            try (InputStream in = file.openStream()) {
                for (JsonNode property : json.readTree(in).path("properties")) {
                    String name = property.path("name").asString("");
                    if (name.startsWith("migrator.")) {
                        properties.put(name, property);
                    }
                }
            }
        }
        return properties;
    }

    private record Sample(String suffix, String value, Object bound) {

        Sample(String value, Object bound) {
            this("", value, bound);
        }
    }

    private static Map<Setting, Sample> samples() {
        Map<Setting, Sample> samples = new EnumMap<>(Setting.class);
        samples.put(Setting.SCHEMA_ENABLED, new Sample("false", false));
        samples.put(Setting.SCHEMA_LOCATIONS, new Sample("classpath:other", List.of("classpath:other")));
        samples.put(Setting.SCHEMA_TABLE, new Sample("other_history", "other_history"));
        samples.put(Setting.SCHEMAS, new Sample("app,audit", List.of("app", "audit")));
        samples.put(Setting.SCHEMA_TARGET, new Sample("7", "7"));
        samples.put(Setting.BASELINE_ON_MIGRATE, new Sample("true", true));
        samples.put(Setting.BASELINE_VERSION, new Sample("0", "0"));
        samples.put(Setting.PLACEHOLDERS, new Sample(".owner", "app", Map.of("owner", "app")));
        samples.put(Setting.OUT_OF_ORDER, new Sample("true", true));
        samples.put(Setting.POSTGRESQL_TRANSACTIONAL_LOCK, new Sample("true", true));
        samples.put(Setting.DATA_ENABLED, new Sample("false", false));
        samples.put(Setting.DATA_LOCATIONS, new Sample("filesystem:/data", List.of("filesystem:/data")));
        samples.put(Setting.DATA_PREFIX, new Sample("X", "X"));
        samples.put(Setting.DATA_ORDERING, new Sample("by-version", DataOrdering.BY_VERSION));
        samples.put(Setting.DATA_TABLE, new Sample("other_data_history", "other_data_history"));
        samples.put(Setting.DATA_TARGET, new Sample("3", "3"));
        samples.put(Setting.BATCH_SIZE, new Sample("50", 50));
        samples.put(Setting.CHECKS_LOCATIONS, new Sample("classpath:other-checks", List.of("classpath:other-checks")));
        samples.put(Setting.LOCK_WAIT_TIMEOUT, new Sample("5s", Duration.ofSeconds(5)));
        samples.put(Setting.CONNECT_RETRIES, new Sample("3", 3));
        samples.put(Setting.CONNECT_RETRIES_INTERVAL, new Sample("7s", Duration.ofSeconds(7)));
        samples.put(Setting.APPLICATION_NAME, new Sample("billing-migrations", "billing-migrations"));
        samples.put(Setting.LOCK_TIMEOUT, new Sample("500ms", Duration.ofMillis(500)));
        samples.put(Setting.LOCK_TIMEOUT_MAX, new Sample("20s", Duration.ofSeconds(20)));
        samples.put(Setting.LOCK_RETRIES, new Sample("0", 0));
        samples.put(Setting.LOCK_RETRY_BACKOFF, new Sample("3s", Duration.ofSeconds(3)));
        samples.put(Setting.STATEMENT_TIMEOUT, new Sample("30m", Duration.ofMinutes(30)));
        samples.put(Setting.NON_TRANSACTIONAL_LOCK_TIMEOUT, new Sample("0", Duration.ZERO));
        samples.put(Setting.NON_TRANSACTIONAL_STATEMENT_TIMEOUT, new Sample("2h", Duration.ofHours(2)));
        samples.put(Setting.ANALYSIS, new Sample("false", false));
        samples.put(Setting.DATA_BASELINE_VERSION, new Sample("4", "4"));
        samples.put(Setting.BATCH_SIZE_MAX, new Sample("250000", 250000));
        samples.put(Setting.BATCH_TIME, new Sample("250ms", Duration.ofMillis(250)));
        return samples;
    }
}
