package dev.migrator.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigrationFailedException;
import dev.migrator.core.Migrator;
import dev.migrator.core.MigratorException;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** The auto-configuration in a real application context, against a real PostgreSQL. */
@ExtendWith(OutputCaptureExtension.class)
class MigratorAutoConfigurationIntegrationTests {

    @TempDir
    Path migrations;

    private FreshDatabase database;

    private ApplicationContextRunner contextRunner;

    @BeforeEach
    void setUp() throws IOException {
        this.database = TestPostgres.server().createDatabase();
        this.contextRunner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        DataSourceAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class,
                        JdbcClientAutoConfiguration.class,
                        MigratorAutoConfiguration.class))
                .withPropertyValues(this.database.springProperties())
                .withPropertyValues("migrator.schema.locations=filesystem:" + this.migrations);
        script("V1__create_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY, email text NOT NULL);");
        script("V2__seed_customer.sql", "INSERT INTO customer VALUES (1, 'ada@example.com');");
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void migratesBeforeJdbcTemplateAndJdbcClientUsersAreCreated() {
        this.contextRunner.withUserConfiguration(EarlyReaders.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(EarlyReaders.class).emails)
                    .containsExactly("ada@example.com", "ada@example.com");
        });
    }

    @Test
    void ownsTheFlywayBeanSoBootsFlywayAutoConfigurationBacksOff() {
        this.contextRunner
                .withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(Flyway.class);
                    assertThat(context).doesNotHaveBean(FlywayMigrationInitializer.class);
                    assertThat(context.getBean(Flyway.class))
                            .isSameAs(context.getBean(Migrator.class).flyway());
                    assertThat(customers()).isEqualTo(1);
                });
    }

    @Test
    void secondStartAppliesNothing(CapturedOutput output) {
        this.contextRunner.run(context -> assertThat(context).hasNotFailed());
        this.contextRunner.run(context -> assertThat(context).hasNotFailed());

        assertThat(customers()).isEqualTo(1);
        assertThat(output)
                .contains("2 schema and 0 data migration(s) applied")
                .contains("0 schema and 0 data migration(s) applied");
    }

    @Test
    void disabledMigratorDoesNothing() {
        this.contextRunner.withPropertyValues("migrator.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(Migrator.class);
            assertThat(tableCount("customer")).isZero();
        });
    }

    @Test
    void autoRunOffStartsAndWarnsListingPendingMigrations(CapturedOutput output) {
        this.contextRunner.withPropertyValues("migrator.auto-run=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(tableCount("customer")).isZero();
        });
        assertThat(output)
                .contains("WARN")
                .contains("migrator.auto-run is off")
                .contains("'1 create customer', '2 seed customer'");
    }

    @Test
    void autoRunOffWithOnPendingFailRefusesToStartListingPendingMigrations() {
        this.contextRunner
                .withPropertyValues("migrator.auto-run=false", "migrator.on-pending=fail")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .isInstanceOfSatisfying(MigratorException.class, ex -> {
                                assertThat(ex.code()).isEqualTo(ErrorCode.PENDING);
                                assertThat(ex.getMessage()).contains("'1 create customer', '2 seed customer'");
                            });
                    assertThat(tableCount("customer")).isZero();
                });
    }

    @Test
    void autoRunOffWithNothingPendingStartsQuietly(CapturedOutput output) {
        this.contextRunner.run(context -> assertThat(context).hasNotFailed());
        this.contextRunner
                .withPropertyValues("migrator.auto-run=false", "migrator.on-pending=fail")
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(output).contains("The schema track is up to date (2)");
    }

    @Test
    void invalidEnumPropertyFailsNamingThePropertyAndValue() {
        this.contextRunner.withPropertyValues("migrator.on-pending=maybe").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .hasRootCauseInstanceOf(IllegalArgumentException.class)
                    .satisfies(
                            ex -> assertThat(findCause(ex, BindException.class).getMessage())
                                    .contains("migrator.on-pending"));
            assertThat(tableCount("customer")).isZero();
        });
    }

    @Test
    void malformedTargetFailsNamingThePropertyAndTheAcceptedValues() {
        this.contextRunner.withPropertyValues("migrator.schema.target=newest").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .isInstanceOfSatisfying(
                            MigratorException.class,
                            ex -> assertThat(ex.getMessage())
                                    .contains("'newest'")
                                    .contains("'migrator.schema.target'")
                                    .contains("'latest', 'current'"));
        });
    }

    @Test
    void negativeConnectRetriesFailNamingTheProperty() {
        this.contextRunner.withPropertyValues("migrator.connect-retries=-1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("Invalid value '-1' for 'migrator.connect-retries'");
        });
    }

    @Test
    void failingMigrationFailsStartupWithItsError() throws IOException {
        script("V3__broken.sql", "ALTER TABLE customer ADD COLUMN;");
        this.contextRunner.run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .satisfies(ex -> assertThat(findCause(ex, MigrationFailedException.class)
                                    .getMessage())
                            .contains("V3__broken.sql")
                            .contains("42601"));
        });
        assertThat(customers()).isEqualTo(1);
    }

    @Test
    void migratorUrlMigratesThatDatabaseInstead() {
        try (FreshDatabase other = TestPostgres.server().createDatabase()) {
            this.contextRunner
                    .withPropertyValues(
                            "migrator.url=" + other.jdbcUrl(),
                            "migrator.user=" + other.username(),
                            "migrator.password=" + other.password())
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(tableCount("customer")).isZero();
                        assertThat(new JdbcTemplate(other.dataSource())
                                        .queryForObject("SELECT count(*) FROM customer", Long.class))
                                .isEqualTo(1);
                    });
        }
    }

    @Test
    void migratorUserRunsMigrationsAsThatUser() {
        JdbcTemplate admin = new JdbcTemplate(this.database.dataSource());
        admin.execute("DO $$ BEGIN CREATE ROLE migrator_ddl_owner LOGIN; EXCEPTION WHEN duplicate_object THEN NULL;"
                + " END $$");
        admin.execute("GRANT CREATE, USAGE ON SCHEMA public TO migrator_ddl_owner");
        this.contextRunner
                .withPropertyValues("migrator.user=migrator_ddl_owner")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(admin.queryForObject(
                                    "SELECT tableowner FROM pg_tables WHERE tablename = 'customer'", String.class))
                            .isEqualTo("migrator_ddl_owner");
                    assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT current_user", String.class))
                            .isEqualTo(this.database.username());
                });
    }

    @Test
    void migratorDataSourceBeanIsUsedInsteadOfTheApplicationOne() {
        try (FreshDatabase other = TestPostgres.server().createDatabase()) {
            this.contextRunner
                    .withUserConfiguration(OwnMigrationDataSource.class)
                    .withPropertyValues(
                            "test.migration-url=" + other.jdbcUrl(), "test.migration-user=" + other.username())
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(tableCount("customer")).isZero();
                        assertThat(new JdbcTemplate(other.dataSource())
                                        .queryForObject("SELECT count(*) FROM customer", Long.class))
                                .isEqualTo(1);
                    });
        }
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("No " + type.getSimpleName() + " in the causes of " + failure);
    }

    private long customers() {
        return new JdbcTemplate(this.database.dataSource()).queryForObject("SELECT count(*) FROM customer", Long.class);
    }

    private long tableCount(String table) {
        return new JdbcTemplate(this.database.dataSource())
                .queryForObject("SELECT count(*) FROM pg_tables WHERE tablename = ?", Long.class, table);
    }

    private void script(String name, String sql) throws IOException {
        Files.writeString(this.migrations.resolve(name), sql);
    }

    /** Declares the migration DataSource the way the README tells users to. */
    @Configuration(proxyBeanMethods = false)
    static class OwnMigrationDataSource {

        @Bean(defaultCandidate = false)
        @MigratorDataSource
        DataSource migrationDataSource(Environment environment) {
            return DataSourceBuilder.create()
                    .type(SimpleDriverDataSource.class)
                    .url(environment.getRequiredProperty("test.migration-url"))
                    .username(environment.getRequiredProperty("test.migration-user"))
                    .build();
        }
    }

    /** Reads the migrated table while its beans are created: possible only if migrations ran first. */
    @Configuration(proxyBeanMethods = false)
    static class EarlyReaders {

        final List<String> emails;

        EarlyReaders(JdbcTemplate jdbcTemplate, JdbcClient jdbcClient) {
            this.emails = List.of(
                    jdbcTemplate.queryForObject("SELECT email FROM customer", String.class),
                    jdbcClient
                            .sql("SELECT email FROM customer")
                            .query(String.class)
                            .single());
        }

        @Bean
        String unused() {
            return "";
        }
    }
}
