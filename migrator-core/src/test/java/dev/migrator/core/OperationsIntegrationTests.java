package dev.migrator.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.check.CheckResult;
import dev.migrator.core.check.MigrationCheck;
import dev.migrator.core.data.BaseDataMigration;
import dev.migrator.core.data.DataMigrationContext;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** History, preview, validation and checks against a real PostgreSQL. */
class OperationsIntegrationTests {

    @TempDir
    Path root;

    private Path schema;

    private Path data;

    private Path checks;

    private FreshDatabase database;

    @BeforeEach
    void setUp() throws IOException {
        this.schema = Files.createDirectory(this.root.resolve("schema"));
        this.data = Files.createDirectory(this.root.resolve("data"));
        this.checks = Files.createDirectory(this.root.resolve("checks"));
        this.database = TestPostgres.server().createDatabase();
        write(this.schema, "V1__create_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY, email text);");
        write(this.data, "D1__insert_ada.sql", "INSERT INTO customer VALUES (1, 'ada@example.com');");
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void historyShowsBothTracksAsOneTimeline() throws IOException {
        migrator().load().migrate();
        write(this.schema, "V2__add_name.sql", "ALTER TABLE customer ADD COLUMN name text;");
        migrator().load().migrate();

        List<HistoryEntry> history = migrator().load().history();

        assertThat(history)
                .extracting(entry -> entry.track() + " " + entry.migration().displayName())
                .containsExactly("SCHEMA 1 create customer", "DATA 1 insert ada", "SCHEMA 2 add name");
        assertThat(history.get(1).rowsAffected()).contains(1L);
        assertThat(history).allSatisfy(entry -> assertThat(entry.success()).isTrue());
    }

    @Test
    void previewListsWhatMigrateWouldRunInOrderWithItsSql() throws IOException {
        write(this.data, "R__reference.sql", "UPDATE customer SET email = lower(email);");
        Migrator migrator = migrator().dataMigrations(List.of(new D2__Notify())).load();

        List<PreviewStep> preview = migrator.preview();

        assertThat(preview)
                .extracting(step -> step.track() + " " + step.migration().script())
                .containsExactly(
                        "SCHEMA V1__create_customer.sql",
                        "DATA D1__insert_ada.sql",
                        "DATA " + D2__Notify.class.getName(),
                        "DATA R__reference.sql");
        assertThat(preview.get(0).sql())
                .hasValueSatisfying(sql -> assertThat(sql).contains("CREATE TABLE customer"));
        assertThat(preview.get(1).sql()).contains("INSERT INTO customer VALUES (1, 'ada@example.com');");
        assertThat(preview.get(2).sql()).isEmpty();
        assertThat(new JdbcTemplate(this.database.dataSource())
                        .queryForObject("SELECT to_regclass('customer') IS NULL", Boolean.class))
                .as("preview changes nothing")
                .isTrue();
        migrator.migrate();
        assertThat(migrator.preview()).isEmpty();
    }

    @Test
    void previewWithByVersionOrderingInterleavesBothTracks() throws IOException {
        write(this.schema, "V2__add_name.sql", "ALTER TABLE customer ADD COLUMN name text;");

        List<PreviewStep> preview =
                migrator().dataOrdering(DataOrdering.BY_VERSION).load().preview();

        assertThat(preview)
                .extracting(step -> step.migration().script())
                .containsExactly("V1__create_customer.sql", "D1__insert_ada.sql", "V2__add_name.sql");
    }

    @Test
    void validateReportsChangedMigrationsOfBothTracksButNotPendingOnes() throws IOException {
        migrator().load().migrate();
        assertThat(migrator().load().validate().isValid()).isTrue();
        write(this.schema, "V2__add_name.sql", "ALTER TABLE customer ADD COLUMN name text;");
        assertThat(migrator().load().validate().isValid())
                .as("pending is not invalid")
                .isTrue();

        write(this.schema, "V1__create_customer.sql", "CREATE TABLE customer (id bigint PRIMARY KEY);");
        write(this.data, "D1__insert_ada.sql", "INSERT INTO customer VALUES (2, 'bob@example.com');");
        ValidationResult result = migrator().load().validate();

        assertThat(result.isValid()).isFalse();
        assertThat(result.problems()).hasSize(2);
        assertThat(result.problems().get(0)).contains("V1__create_customer.sql").contains("checksum");
        assertThat(result.problems().get(1)).contains("D1__insert_ada.sql").contains("changed after it was applied");
    }

    @Test
    void checksRunBuiltInSqlAndJavaChecks() throws IOException {
        write(this.checks, "customers_have_email.sql", "SELECT id FROM customer WHERE email IS NULL");
        write(this.checks, "no_example_domain.sql", "SELECT id, email FROM customer WHERE email LIKE '%@example.com'");
        Migrator migrator = migrator()
                .checks(() -> List.of(new CustomerCount(), new Broken()))
                .load();
        migrator.migrate();

        List<CheckResult> results = migrator.check();

        assertThat(results)
                .extracting(result -> result.name() + "=" + result.passed())
                .containsExactly(
                        "checksums-valid=true",
                        "schema-at-target=true",
                        "data-at-target=true",
                        "no-failed-migrations=true",
                        "customers_have_email=true",
                        "no_example_domain=false",
                        "customer-count=true",
                        "broken=false");
        assertThat(results.get(5).detail()).contains("1 violating row").contains("ada@example.com");
        assertThat(results.get(7).detail()).contains("does not exist").contains("42P01");
    }

    @Test
    void builtInChecksFailWhileWorkIsPending() throws IOException {
        migrator().load().migrate();
        write(this.data, "D2__insert_bob.sql", "INSERT INTO customer VALUES (2, 'bob@example.com');");

        List<CheckResult> results = migrator().load().check();

        assertThat(results)
                .filteredOn(result -> result.name().equals("data-at-target"))
                .singleElement()
                .satisfies(result -> {
                    assertThat(result.passed()).isFalse();
                    assertThat(result.detail()).contains("1 pending: 2 insert bob");
                });
    }

    private MigratorConfiguration migrator() {
        return Migrator.configure(this.database.dataSource())
                .schemaLocations("filesystem:" + this.schema)
                .dataLocations("filesystem:" + this.data)
                .checksLocations(List.of("filesystem:" + this.checks));
    }

    private static void write(Path dir, String name, String sql) throws IOException {
        Files.writeString(dir.resolve(name), sql);
    }

    static final class D2__Notify extends BaseDataMigration {

        @Override
        public void migrate(DataMigrationContext context) {
            context.logger().info("nothing to do");
        }
    }

    static final class CustomerCount implements MigrationCheck {

        @Override
        public String name() {
            return "customer-count";
        }

        @Override
        public CheckResult run(Connection connection) throws Exception {
            long count = new JdbcTemplate(
                            new org.springframework.jdbc.datasource.SingleConnectionDataSource(connection, true))
                    .queryForObject("SELECT count(*) FROM customer", Long.class);
            return count > 0 ? CheckResult.passed(name(), count + " customers") : CheckResult.failed(name(), "none");
        }
    }

    static final class Broken implements MigrationCheck {

        @Override
        public String name() {
            return "broken";
        }

        @Override
        public CheckResult run(Connection connection) throws Exception {
            try (var statement = connection.createStatement()) {
                statement.executeQuery("SELECT * FROM no_such_table");
            }
            return CheckResult.passed(name(), "unreachable");
        }
    }
}
