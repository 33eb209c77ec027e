package dev.migrator.test.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

class TestPostgresIntegrationTests {

    private final TestPostgres server = TestPostgres.server();

    private final ApplicationContextRunner contextRunner =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class));

    @Test
    void createdDatabasesAreDistinctRealAndIsolated() {
        try (FreshDatabase first = server.createDatabase();
                FreshDatabase second = server.createDatabase()) {
            assertThat(first.name()).isNotEqualTo(second.name());
            assertThat(currentDatabase(first.dataSource())).isEqualTo(first.name());
            assertThat(currentDatabase(second.dataSource())).isEqualTo(second.name());

            new JdbcTemplate(first.dataSource()).execute("CREATE TABLE marker (id int)");

            assertThat(hasMarkerTable(first)).isTrue();
            assertThat(hasMarkerTable(second)).isFalse();
        }
    }

    @Test
    void closeDropsTheDatabaseEvenWithAnOpenConnection() throws SQLException {
        FreshDatabase database = server.createDatabase();
        try (Connection connection = database.dataSource().getConnection()) {
            assertThat(databaseExists(database.name())).isTrue();

            database.close();

            assertThat(databaseExists(database.name())).isFalse();
            assertThat(connection.isValid(5)).isFalse();
        }
    }

    @Test
    void springPropertiesConnectSpringBootToTheDatabase() {
        try (FreshDatabase database = server.createDatabase()) {
            contextRunner
                    .withPropertyValues(database.springProperties())
                    .run(context -> assertThat(currentDatabase(context.getBean(DataSource.class)))
                            .isEqualTo(database.name()));
        }
    }

    @Test
    void descriptionNeverShowsThePassword() {
        try (FreshDatabase maintenance = server.createDatabase()) {
            TestPostgres withPassword = TestPostgres.external(maintenance.jdbcUrl()
                    + (maintenance.jdbcUrl().contains("?") ? "&" : "?")
                    + "user=" + maintenance.username() + "&password=secret");

            assertThat(withPassword.description())
                    .startsWith("external server jdbc:postgresql://")
                    .endsWith("/" + maintenance.name())
                    .doesNotContain("secret");
            try (FreshDatabase database = withPassword.createDatabase()) {
                assertThat(database.password()).isEqualTo("secret");
                assertThat(currentDatabase(database.dataSource())).isEqualTo(database.name());
            }
        }
    }

    @Test
    void extensionGivesEachTestClassItsOwnDatabaseAndDropsItAfterTheClass() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(MethodParametersExample.class), selectClass(ClassParametersExample.class))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.started(4).succeeded(4));

        Set<String> first = RecordsDatabases.namesByClass.get(MethodParametersExample.class);
        Set<String> second = RecordsDatabases.namesByClass.get(ClassParametersExample.class);
        assertThat(first).hasSize(1);
        assertThat(second).hasSize(1).doesNotContainAnyElementsOf(first);
        assertThat(first).noneMatch(this::databaseExists);
        assertThat(second).noneMatch(this::databaseExists);
    }

    private boolean databaseExists(String name) {
        return new JdbcTemplate(server.adminDataSource())
                .queryForObject("SELECT count(*) = 1 FROM pg_database WHERE datname = ?", Boolean.class, name);
    }

    private static String currentDatabase(DataSource dataSource) {
        return new JdbcTemplate(dataSource).queryForObject("SELECT current_database()", String.class);
    }

    private static boolean hasMarkerTable(FreshDatabase database) {
        return new JdbcTemplate(database.dataSource())
                .queryForObject("SELECT to_regclass('marker') IS NOT NULL", Boolean.class);
    }

    /** Records the database that each parameter receives, per test class. */
    @ExtendWith(FreshDatabaseExtension.class)
    abstract static class RecordsDatabases {

        static final Map<Class<?>, Set<String>> namesByClass = new ConcurrentHashMap<>();

        @BeforeEach
        void beforeEach(FreshDatabase database, TestInfo info) {
            record(database, info);
        }

        @Test
        void first(FreshDatabase database, TestInfo info) {
            record(database, info);
        }

        @Test
        void second(FreshDatabase database, TestInfo info) {
            record(database, info);
        }

        static void record(FreshDatabase database, TestInfo info) {
            namesByClass
                    .computeIfAbsent(info.getTestClass().orElseThrow(), testClass -> ConcurrentHashMap.newKeySet())
                    .add(database.name());
        }
    }

    /** The first method-level parameter creates the database. */
    static class MethodParametersExample extends RecordsDatabases {}

    /** The {@code @BeforeAll} parameter creates the database; the constructor receives it too. */
    static class ClassParametersExample extends RecordsDatabases {

        ClassParametersExample(FreshDatabase database, TestInfo info) {
            record(database, info);
        }

        @BeforeAll
        static void beforeAll(FreshDatabase database, TestInfo info) {
            record(database, info);
        }
    }
}
