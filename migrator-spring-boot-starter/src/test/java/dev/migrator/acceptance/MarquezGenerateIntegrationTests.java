package dev.migrator.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.autoconfigure.MigratorAutoConfiguration;
import dev.migrator.autoconfigure.command.MigratorCommandExit;
import dev.migrator.autoconfigure.generate.EntityModel;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * generate and the entity check on a real set: entities for four tables of Marquez's 84 migrations match them as they
 * are, and a changed model (a new column, a new index, a new table with a foreign key) gets a migration that applies
 * after the 84 and leaves nothing to change.
 */
@ExtendWith(OutputCaptureExtension.class)
class MarquezGenerateIntegrationTests {

    private static final AtomicInteger exitCode = new AtomicInteger(-1);

    @TempDir
    Path schema;

    private FreshDatabase database;

    @BeforeEach
    void setUp() throws IOException {
        Path marquez = RealWorldSets.assumePresent("MarquezProject__marquez");
        try (Stream<Path> files = Files.list(marquez)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                Files.copy(file, this.schema.resolve(file.getFileName()));
            }
        }
        this.database = TestPostgres.server().createDatabase();
        exitCode.set(-1);
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
        LoggingSystem.get(getClass().getClassLoader()).setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.INFO);
    }

    @Test
    void entitiesOfMarquezTablesMatchItsMigrations() {
        try (ConfigurableApplicationContext context = start(CurrentModel.class, "--migrator.auto-run=true")) {
            EntityModel model = context.getBean(EntityModel.class);

            assertThat(model.compareWith(
                                    this.database.dataSource(),
                                    Set.of("flyway_schema_history", "migrator_data_history"))
                            .statements())
                    .isEmpty();
        }
    }

    @Test
    void aChangedModelGetsAMigrationThatAppliesAfterMarquezAndLeavesNothingToChange(CapturedOutput output)
            throws IOException {
        start(ChangedModel.class, "--migrator.command=generate", "--migrator.generate.description=tag colour");

        assertThat(exitCode).hasValue(0);
        String first = Files.readString(this.schema.resolve("V75__tag_colour.sql"));
        assertThat(first)
                .contains("up to version 74")
                .containsPattern("(?m)^alter table if exists tags add column color varchar\\(16\\);$")
                .containsPattern("(?m)^create table tag_aliases \\(")
                .doesNotContain("namespaces")
                .doesNotContain("owners");
        assertThat(Files.readString(this.schema.resolve("V76__tag_colour_concurrently.sql")))
                .contains("create index concurrently tags_updated_at_idx on tags (updated_at);");

        start(ChangedModel.class, "--migrator.command=migrate");
        assertThat(exitCode).hasValue(0);
        int before = output.getOut().length();
        start(ChangedModel.class, "--migrator.command=generate", "--migrator.generate.description=again");
        assertThat(exitCode).hasValue(0);
        assertThat(output.getOut().substring(before)).contains("migrator generate: NOTHING TO CHANGE");
    }

    private ConfigurableApplicationContext start(Class<?> application, String... args) {
        return new SpringApplicationBuilder(application)
                .properties(Stream.concat(
                                Stream.of(this.database.springProperties()),
                                Stream.of(
                                        "migrator.schema.locations=filesystem:" + this.schema,
                                        "migrator.data.enabled=false",
                                        "migrator.checks.locations=filesystem:" + this.schema.resolve("checks")))
                        .toArray(String[]::new))
                .run(args);
    }

    @SpringBootConfiguration
    @ImportAutoConfiguration({
        DataSourceAutoConfiguration.class,
        HibernateJpaAutoConfiguration.class,
        MigratorAutoConfiguration.class
    })
    @EntityScan(
            basePackageClasses = {
                dev.migrator.acceptance.marquez.shared.Namespace.class,
                dev.migrator.acceptance.marquez.current.Tag.class
            })
    static class CurrentModel {}

    @SpringBootConfiguration
    @ImportAutoConfiguration({
        DataSourceAutoConfiguration.class,
        HibernateJpaAutoConfiguration.class,
        MigratorAutoConfiguration.class
    })
    @EntityScan(
            basePackageClasses = {
                dev.migrator.acceptance.marquez.shared.Namespace.class,
                dev.migrator.acceptance.marquez.changed.Tag.class
            })
    static class ChangedModel {

        @Bean
        MigratorCommandExit capturingExit() {
            return exitCode::set;
        }
    }
}
