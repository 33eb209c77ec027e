package dev.migrator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.MigratorException;
import dev.migrator.core.data.BaseDataMigration;
import dev.migrator.core.data.DataMigrationContext;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The data track in an application context, against a real PostgreSQL. */
@ExtendWith(OutputCaptureExtension.class)
class MigratorDataIntegrationTests {

    @TempDir
    Path root;

    private Path data;

    private FreshDatabase database;

    private JdbcTemplate jdbc;

    private ApplicationContextRunner contextRunner;

    @BeforeEach
    void setUp() throws IOException {
        Path schema = Files.createDirectory(this.root.resolve("schema"));
        this.data = Files.createDirectory(this.root.resolve("data"));
        Files.writeString(
                schema.resolve("V1__create_country.sql"),
                "CREATE TABLE country (code char(2) PRIMARY KEY, name text NOT NULL);");
        Files.writeString(
                schema.resolve("V3__rename_name.sql"), "ALTER TABLE country RENAME COLUMN name TO display_name;");
        this.database = TestPostgres.server().createDatabase();
        this.jdbc = new JdbcTemplate(this.database.dataSource());
        this.contextRunner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        DataSourceAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class,
                        MigratorAutoConfiguration.class))
                .withPropertyValues(this.database.springProperties())
                .withPropertyValues(
                        "migrator.schema.locations=filesystem:" + schema,
                        "migrator.data.locations=filesystem:" + this.data);
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void javaDataMigrationBeanUsesAnApplicationBeanAndRunsAfterTheSchema() {
        this.contextRunner.withUserConfiguration(JavaDataMigration.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(this.jdbc.queryForObject("SELECT display_name FROM country WHERE code = 'FR'", String.class))
                    .isEqualTo("France (from CountryNames)");
            assertThat(this.jdbc.queryForObject(
                            "SELECT type FROM migrator_data_history WHERE version = '4'", String.class))
                    .isEqualTo("JAVA");
        });
    }

    @Test
    void sqlDataMigrationsRunFromTheConfiguredLocations(CapturedOutput output) throws IOException {
        Files.writeString(this.data.resolve("D4__insert_germany.sql"), "INSERT INTO country VALUES ('DE', 'Germany');");

        this.contextRunner.run(context -> assertThat(context).hasNotFailed());

        assertThat(this.jdbc.queryForList("SELECT code FROM country", String.class))
                .containsExactly("DE");
        assertThat(output).contains("0 schema and 1 data migration(s) applied");
    }

    @Test
    void disabledDataTrackRunsNoDataMigrationAndCreatesNoHistory() throws IOException {
        Files.writeString(this.data.resolve("D4__insert_germany.sql"), "INSERT INTO country VALUES ('DE', 'Germany');");

        this.contextRunner
                .withPropertyValues("migrator.data.enabled=false")
                .run(context -> assertThat(context).hasNotFailed());

        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM country", Long.class))
                .isZero();
        assertThat(this.jdbc.queryForObject("SELECT to_regclass('migrator_data_history') IS NULL", Boolean.class))
                .isTrue();
    }

    @Test
    void byVersionOrderingFromPropertiesRunsTheDataMigrationOnTheSchemaOfItsVersion() throws IOException {
        Files.writeString(
                this.data.resolve("D2__insert_italy.sql"), "INSERT INTO country (code, name) VALUES ('IT', 'Italy');");

        this.contextRunner
                .withPropertyValues("migrator.data.ordering=by-version")
                .run(context -> assertThat(context).hasNotFailed());

        assertThat(this.jdbc.queryForObject("SELECT display_name FROM country", String.class))
                .isEqualTo("Italy");
    }

    @Test
    void autoRunOffWarnsAboutPendingDataMigrations(CapturedOutput output) throws IOException {
        this.contextRunner.run(context -> assertThat(context).hasNotFailed());
        Files.writeString(this.data.resolve("D4__insert_germany.sql"), "INSERT INTO country VALUES ('DE', 'Germany');");

        this.contextRunner
                .withPropertyValues("migrator.auto-run=false")
                .run(context -> assertThat(context).hasNotFailed());

        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM country", Long.class))
                .isZero();
        assertThat(output)
                .contains("The data track at no version is not up to date and migrator.auto-run is off")
                .contains("'4 insert germany'");
    }

    @Test
    void invalidDataPrefixFailsNamingThePropertyAndValue() {
        this.contextRunner.withPropertyValues("migrator.data.prefix=R").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .isInstanceOf(MigratorException.class)
                    .hasMessageContaining("Invalid value 'R' for 'migrator.data.prefix'");
        });
    }

    @Test
    void invalidOrderingFailsNamingTheProperty() {
        this.contextRunner.withPropertyValues("migrator.data.ordering=sideways").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasStackTraceContaining("migrator.data.ordering")
                    .hasStackTraceContaining("sideways");
        });
    }

    /** An ordinary application bean that a data migration depends on. */
    static class CountryNames {

        String nameOf(String code) {
            return "FR".equals(code) ? "France (from CountryNames)" : code;
        }
    }

    static class D4__InsertFrance extends BaseDataMigration {

        private final CountryNames names;

        D4__InsertFrance(CountryNames names) {
            this.names = names;
        }

        @Override
        public void migrate(DataMigrationContext context) throws Exception {
            try (PreparedStatement insert = context.connection()
                    .prepareStatement("INSERT INTO country (code, display_name) VALUES ('FR', ?)")) {
                insert.setString(1, this.names.nameOf("FR"));
                insert.executeUpdate();
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class JavaDataMigration {

        @Bean
        CountryNames countryNames() {
            return new CountryNames();
        }

        @Bean
        D4__InsertFrance insertFrance(CountryNames names) {
            return new D4__InsertFrance(names);
        }
    }
}
