package dev.migrator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.MigratorSettings;
import org.junit.jupiter.api.Test;

/** The property defaults must be the core's, so that the starter changes nothing by itself. */
class MigratorPropertiesTests {

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
    void startupDefaultsAreOnAutoRunAndWarn() {
        assertThat(this.properties.isEnabled()).isTrue();
        assertThat(this.properties.isAutoRun()).isTrue();
        assertThat(this.properties.getOnPending()).isEqualTo(MigratorProperties.OnPending.WARN);
    }
}
