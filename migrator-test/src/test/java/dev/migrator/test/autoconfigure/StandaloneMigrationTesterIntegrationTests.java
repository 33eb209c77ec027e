package dev.migrator.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.Migrator;
import dev.migrator.core.Track;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.FreshDatabaseExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link MigrationTester#of(Migrator)}: the tester on a migrator of one's own, without a Spring context. */
@ExtendWith(FreshDatabaseExtension.class)
class StandaloneMigrationTesterIntegrationTests {

    @Test
    void migratesOneTrackStepByStep(FreshDatabase database) {
        MigrationTester migrations = MigrationTester.of(Migrator.configure(database.dataSource())
                .schemaLocations("classpath:example/schema")
                .dataLocations("classpath:example/data")
                .load());

        migrations.applyNext(Track.SCHEMA);

        assertThat(migrations.status(Track.SCHEMA).current()).contains("1");
        assertThat(migrations.status(Track.DATA).current()).isEmpty();
        assertThat(migrations.migrateTo(Track.SCHEMA, "latest").schemaApplied()).hasSize(1);
        assertThat(migrations.applyNext(Track.DATA).dataApplied()).hasSize(1);
        assertThat(migrations.status().isUpToDate()).isTrue();
    }
}
