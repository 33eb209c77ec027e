package dev.migrator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.MigrationStatus;
import dev.migrator.core.Migrator;
import dev.migrator.core.MigratorException;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A service that used spring-boot-flyway swaps the dependency for migrator's starter and keeps its
 * {@code spring.flyway.*} properties and Flyway beans.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringFlywayDropInIntegrationTests {

    @TempDir
    Path migrations;

    private FreshDatabase database;

    private JdbcTemplate jdbc;

    private String[] bootFlywayProperties;

    @BeforeEach
    void setUp() throws IOException {
        this.database = TestPostgres.server().createDatabase();
        this.jdbc = new JdbcTemplate(this.database.dataSource());
        write("V1__create_order.pgsql", "CREATE TABLE purchase_order (id bigint PRIMARY KEY, customer_id bigint);");
        write("V2__add_note.pgsql", "ALTER TABLE purchase_order ADD COLUMN note ${note_type};");
        // A baseline migration: a new database starts from it instead of V1 and V2.
        write(
                "B2__orders.pgsql",
                "CREATE TABLE purchase_order (id bigint PRIMARY KEY, customer_id bigint, note ${note_type});");
        write("V3__add_total.pgsql", "ALTER TABLE purchase_order ADD COLUMN total numeric;");
        write("R__order_view.pgsql", "CREATE OR REPLACE VIEW order_view AS SELECT id, note FROM purchase_order;");
        write("V1__ignored_suffix.sql", "THIS IS NOT SQL;");
        this.bootFlywayProperties = new String[] {
            "spring.flyway.locations=filesystem:" + this.migrations,
            "spring.flyway.sql-migration-suffixes=.pgsql",
            "spring.flyway.table=app_schema_history",
            "spring.flyway.baseline-on-migrate=true",
            "spring.flyway.baseline-version=0",
            "spring.flyway.baseline-description=adopted by Flyway",
            "spring.flyway.validate-migration-naming=true",
            "spring.flyway.placeholders.note_type=text",
            "spring.flyway.ignore-migration-patterns=*:missing,*:future",
            "spring.flyway.installed-by=deployer",
            "spring.flyway.postgresql.transactional-lock=false"
        };
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void aDatabaseMigratedByBootsFlywayStaysAsItIsUnderMigratorWithTheSameProperties() {
        new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class))
                .withPropertyValues(this.database.springProperties())
                .withPropertyValues(this.bootFlywayProperties)
                .run(context -> assertThat(context).hasNotFailed());
        List<String> bootHistory = history();
        assertThat(bootHistory)
                .containsExactly("2 orders deployer", "3 add total deployer", "null order view deployer");

        migratorContext().run(context -> {
            assertThat(context).hasNotFailed();
            Migrator migrator = context.getBean(Migrator.class);
            MigrationStatus status = migrator.status();
            assertThat(status.schema().pending()).isEmpty();
            assertThat(status.schema().current()).contains("3");
            assertThat(migrator.validate().problems()).isEmpty();
        });
        assertThat(history()).isEqualTo(bootHistory);
    }

    @Test
    void aNewDatabaseIsMigratedByMigratorAsBootsFlywayWouldHaveDoneIt() {
        migratorContext().run(context -> assertThat(context).hasNotFailed());

        assertThat(history()).containsExactly("2 orders deployer", "3 add total deployer", "null order view deployer");
        assertThat(this.jdbc.queryForObject(
                        "SELECT data_type FROM information_schema.columns WHERE table_name = 'purchase_order'"
                                + " AND column_name = 'note'",
                        String.class))
                .isEqualTo("text");
    }

    @Test
    void migratorPropertiesWinWhereBothAreSet(CapturedOutput output) {
        migratorContext()
                .withPropertyValues("migrator.schema.table=migrator_schema_history")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Migrator.class)
                                    .flyway()
                                    .getConfiguration()
                                    .getTable())
                            .isEqualTo("migrator_schema_history");
                });
        assertThat(output).contains("spring.flyway.table set as well as the migrator.* properties that replace them");
    }

    @Test
    void locationsThatDisagreeFailNamingBothProperties() {
        migratorContext()
                .withPropertyValues("migrator.schema.locations=classpath:db/elsewhere")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .isInstanceOf(MigratorException.class)
                            .hasMessageContaining("spring.flyway.locations is 'filesystem:" + this.migrations)
                            .hasMessageContaining("but migrator.schema.locations is 'classpath:db/elsewhere'");
                });
    }

    @Test
    void springFlywayEnabledFalseTurnsTheSchemaTrackOff() {
        migratorContext().withPropertyValues("spring.flyway.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(Migrator.class).status().schema().pending())
                    .isEmpty();
        });
        assertThat(this.jdbc.queryForObject("SELECT to_regclass('purchase_order') IS NULL", Boolean.class))
                .isTrue();
    }

    @Test
    void bootsFlywayCallbacksAndCustomizersKeepWorking() {
        migratorContext().withUserConfiguration(FlywayBeans.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(RecordingCallback.class).events)
                    .contains(Event.BEFORE_MIGRATE, Event.AFTER_MIGRATE);
        });
        assertThat(history()).contains("2 orders customized");
    }

    @Test
    void propertiesWithoutEffectOnPostgresqlAreNamed(CapturedOutput output) {
        migratorContext()
                .withPropertyValues("spring.flyway.batch=true", "spring.flyway.oracle.sqlplus=true")
                .run(context -> assertThat(context).hasNotFailed());

        assertThat(output)
                .contains("spring.flyway.batch, spring.flyway.oracle.sqlplus have no effect")
                .contains("community Flyway on PostgreSQL");
    }

    private ApplicationContextRunner migratorContext() {
        return new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(DataSourceAutoConfiguration.class, MigratorAutoConfiguration.class))
                .withPropertyValues(this.database.springProperties())
                .withPropertyValues(this.bootFlywayProperties);
    }

    private List<String> history() {
        return this.jdbc.queryForList(
                "SELECT coalesce(version, 'null') || ' ' || description || ' ' || installed_by FROM"
                        + " app_schema_history ORDER BY installed_rank",
                String.class);
    }

    private void write(String name, String sql) throws IOException {
        Files.writeString(this.migrations.resolve(name), sql);
    }

    @Configuration(proxyBeanMethods = false)
    static class FlywayBeans {

        @Bean
        FlywayConfigurationCustomizer installedByCustomizer() {
            return flyway -> flyway.installedBy("customized");
        }

        @Bean
        RecordingCallback recordingCallback() {
            return new RecordingCallback();
        }
    }

    static class RecordingCallback implements Callback {

        final List<Event> events = new ArrayList<>();

        @Override
        public boolean supports(Event event, Context context) {
            return true;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            this.events.add(event);
        }

        @Override
        public String getCallbackName() {
            return "recording";
        }
    }
}
