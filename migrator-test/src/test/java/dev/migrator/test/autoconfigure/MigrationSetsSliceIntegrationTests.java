package dev.migrator.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.autoconfigure.operations.MigrationSets;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import dev.migrator.test.internal.DatabaseTemplates;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A service with several migration sets gets one template, and each test class a clone, holding all of them. */
@MigratorTest(
        properties = {
            "migrator.sets.jobs.schema.locations=classpath:example/jobs",
            "migrator.sets.jobs.data.enabled=false"
        })
class MigrationSetsSliceIntegrationTests {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MigrationSets sets;

    @Test
    void theCloneHoldsEverySetMigrated() {
        assertThat(this.jdbc
                        .sql("SELECT current_database()")
                        .query(String.class)
                        .single())
                .startsWith(DatabaseTemplates.CLONE_PREFIX);
        assertThat(this.sets.all()).extracting(MigratorOperations::name).containsExactly("default", "jobs");
        assertThat(this.jdbc
                        .sql("SELECT max(version) FROM flyway_schema_history")
                        .query(String.class)
                        .single())
                .isEqualTo("2");
        assertThat(this.jdbc
                        .sql("SELECT max(version) FROM jobs_schema_history")
                        .query(String.class)
                        .single())
                .isEqualTo("1");
        assertThat(this.jdbc.sql("SELECT count(*) FROM job").query(Long.class).single())
                .isZero();
    }
}
