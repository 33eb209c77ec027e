package com.example.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The quick start exactly as a user follows it: this module's dependencies are the starter, a web
 * starter and the driver, and nothing else; its test classpath adds no pool and no DataSource.
 */
@ExtendWith(OutputCaptureExtension.class)
class QuickstartIntegrationTests {

    private FreshDatabase database;

    @BeforeEach
    void createDatabase() {
        this.database = TestPostgres.server().createDatabase();
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void withSpringDatasourceUrlTheServiceMigratesBeforeItServes() throws SQLException {
        try (ConfigurableApplicationContext context = start(this.database.springProperties())) {
            assertThat(context.isRunning()).isTrue();
            assertThat(appliedVersions()).isEqualTo("1,2");
        }
    }

    @Test
    void withoutADatabaseItSaysWhyItMigratesNothing(CapturedOutput output) {
        String[] noDataSource = {
            "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
        };
        try (ConfigurableApplicationContext context = start(noDataSource)) {
            assertThat(context.isRunning()).isTrue();
        }
        assertThat(output)
                .contains("WARN")
                .contains("migrator is on the classpath but migrates nothing: the application has no DataSource bean")
                .contains("Set spring.datasource.url");
    }

    @Test
    void aDatasourceUrlThatMakesNoDataSourceFailsStartupSayingWhy(CapturedOutput output) {
        String[] urlWithoutDataSource = {
            "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "spring.datasource.url=jdbc:postgresql://db.example:5432/shop?password=hunter2"
        };

        assertThatException().isThrownBy(() -> start(urlWithoutDataSource).close());

        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("spring.datasource.url is set to 'jdbc:postgresql://db.example:5432/shop?password=******'")
                .contains("no DataSource bean")
                .doesNotContain("hunter2");
    }

    @Test
    void aCommandWithoutADatabaseFailsInsteadOfExitingAsIfItHadRun(CapturedOutput output) {
        String[] commandWithoutDataSource = {
            "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "migrator.command=migrate"
        };

        assertThatException().isThrownBy(() -> start(commandWithoutDataSource).close());

        assertThat(output)
                .contains("migrator.command is 'migrate' but there is no database to run it on")
                .contains("Set spring.datasource.url");
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return SpringApplication.run(
                QuickstartApplication.class,
                Stream.concat(Stream.of("server.port=0"), Stream.of(properties))
                        .map(property -> "--" + property)
                        .toArray(String[]::new));
    }

    private String appliedVersions() throws SQLException {
        try (Connection connection = this.database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT string_agg(version, ',' ORDER BY installed_rank) FROM flyway_schema_history")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
