package dev.migrator.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.migrator.core.AppliedMigration;
import dev.migrator.core.RunReport;
import dev.migrator.core.Track;
import dev.migrator.core.TrackStatus;
import dev.migrator.test.autoconfigure.MigratorTest.Refresh;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** A test of one data migration: the database starts before it, the test seeds rows, runs it, and asserts. */
@MigratorTest(dataTarget = "1", refresh = Refresh.PER_METHOD)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class MigrationTesterIntegrationTests {

    @Autowired
    MigrationTester migrations;

    @Autowired
    JdbcClient jdbc;

    @Test
    void statusShowsTheDataMigrationAfterTheTargetAsPending() {
        TrackStatus data = migrations.status(Track.DATA);

        assertThat(data.current()).contains("1");
        assertThat(data.pending())
                .extracting(entry -> entry.version().orElseThrow())
                .containsExactly("2");
        assertThat(migrations.status(Track.SCHEMA).isUpToDate()).isTrue();
    }

    @Test
    void applyNextRunsTheBackfillOverRowsSeededBeforeIt() {
        jdbc.sql("INSERT INTO customer (email, name) VALUES ('linus@Kernel.ORG', 'Linus')")
                .update();

        RunReport report = migrations.applyNext(Track.DATA);

        assertThat(report.dataApplied())
                .extracting(AppliedMigration::migration)
                .extracting(entry -> entry.version().orElseThrow())
                .containsExactly("2");
        assertThat(jdbc.sql("SELECT email_domain FROM customer WHERE name = 'Linus'")
                        .query(String.class)
                        .single())
                .isEqualTo("kernel.org");
        assertThat(migrations.status().isUpToDate()).isTrue();
    }

    @Test
    void applyNextWithNothingPendingSaysWhereTheTrackIs() {
        migrations.migrateToLatest();

        assertThatIllegalStateException()
                .isThrownBy(() -> migrations.applyNext(Track.DATA))
                .withMessageContaining("No versioned data migration is pending: the track is at 2");
    }

    @Test
    @Transactional
    void refusesToRunInsideTheTestTransaction() {
        assertThatIllegalStateException()
                .isThrownBy(() -> migrations.applyNext(Track.DATA))
                .withMessageContaining("@Transactional(propagation = Propagation.NOT_SUPPORTED)");
    }

    /** Starts before the schema migration that the data migration needs: a context of its own. */
    @Nested
    @MigratorTest(schemaTarget = "1", dataTarget = "1")
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    class BeforeTheSchemaMigration {

        @Autowired
        MigrationTester migrations;

        @Autowired
        JdbcClient jdbc;

        @Test
        void schemaThenDataStepByStep() {
            assertThat(migrations.status(Track.SCHEMA).current()).contains("1");

            migrations.applyNext(Track.SCHEMA);
            jdbc.sql("INSERT INTO customer (email, name) VALUES ('barbara@MIT.edu', 'Barbara')")
                    .update();
            migrations.applyNext(Track.DATA);

            assertThat(jdbc.sql("SELECT email_domain FROM customer WHERE name = 'Barbara'")
                            .query(String.class)
                            .single())
                    .isEqualTo("mit.edu");
        }
    }
}
