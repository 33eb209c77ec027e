package dev.migrator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.autoconfigure.command.MigratorCommandExit;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * generate on the demo: run on its migrations without V6, it writes what V6 does from the entities, and after it
 * there is nothing to change. The entity check on all of them is in {@code DemoMigrationsReversibleIntegrationTests}.
 */
@ExtendWith(OutputCaptureExtension.class)
class DemoGenerateIntegrationTests {

    private static final AtomicInteger exitCode = new AtomicInteger(-1);

    @TempDir
    Path schema;

    private FreshDatabase database;

    @BeforeEach
    void setUp() throws IOException {
        // The demo's schema migrations up to V5 (and their undo scripts): the entities already map V6's column.
        for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath:db/migration/*")) {
            String name = resource.getFilename();
            if (name != null && !name.matches("[VU]6__.*")) {
                try (InputStream in = resource.getInputStream()) {
                    Files.copy(in, this.schema.resolve(name));
                }
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
    void generateWritesTheMissingMigrationFromTheEntitiesAndThenNothing(CapturedOutput output) throws IOException {
        run("--migrator.command=generate", "--migrator.generate.description=add customer email domain");

        assertThat(exitCode).hasValue(0);
        String generated = Files.readString(this.schema.resolve("V6__add_customer_email_domain.sql"));
        assertThat(generated)
                .contains("against a database built from the migrations up to version 5")
                .contains("table loyalty_tier: no entity maps it")
                .containsPattern("(?m)^alter table if exists customer add column email_domain varchar\\(253\\);$");
        assertThat(Files.readString(this.schema.resolve("U6__add_customer_email_domain.sql")))
                .contains("alter table customer drop column email_domain;");
        assertThat(this.schema.resolve("V7__add_customer_email_domain_concurrently.sql"))
                .doesNotExist();

        run("--migrator.command=migrate");
        assertThat(exitCode).hasValue(0);
        int before = output.getOut().length();
        run("--migrator.command=generate", "--migrator.generate.description=again");
        assertThat(exitCode).hasValue(0);
        assertThat(output.getOut().substring(before)).contains("migrator generate: NOTHING TO CHANGE");
    }

    private void run(String... args) {
        new SpringApplicationBuilder(DemoApplication.class, CapturingExit.class)
                .properties(Stream.concat(
                                Stream.of(this.database.springProperties()),
                                Stream.of(
                                        "migrator.schema.locations=filesystem:" + this.schema,
                                        "migrator.data.enabled=false"))
                        .toArray(String[]::new))
                .run(args);
    }

    static class CapturingExit {

        @Bean
        MigratorCommandExit capturingExit() {
            return exitCode::set;
        }
    }
}
