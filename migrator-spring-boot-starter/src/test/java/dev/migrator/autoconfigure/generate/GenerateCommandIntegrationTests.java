package dev.migrator.autoconfigure.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.autoconfigure.MigratorAutoConfiguration;
import dev.migrator.autoconfigure.command.MigratorCommandExit;
import dev.migrator.autoconfigure.generate.entities.Customer;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code migrator.command=generate} in-process, with JPA entities ({@link Customer} gained a phone and an email index,
 * {@code Address} is new) against migrations that do not have them yet.
 */
@ExtendWith(OutputCaptureExtension.class)
class GenerateCommandIntegrationTests {

    private static final AtomicInteger exitCode = new AtomicInteger(-1);

    @TempDir
    Path root;

    private Path schema;

    private FreshDatabase database;

    private JdbcTemplate jdbc;

    @BeforeEach
    void setUp() throws IOException {
        this.schema = Files.createDirectory(this.root.resolve("schema"));
        Files.writeString(this.schema.resolve("V1__create_customer.sql"), """
                CREATE TABLE customer (id bigint PRIMARY KEY, email varchar(255) NOT NULL, nickname text);
                CREATE TABLE legacy_note (id bigint PRIMARY KEY, body text);
                """);
        Files.writeString(
                this.schema.resolve("U1__create_customer.sql"), "DROP TABLE legacy_note; DROP TABLE customer;");
        this.database = TestPostgres.server().createDatabase();
        this.jdbc = new JdbcTemplate(this.database.dataSource());
        exitCode.set(-1);
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
        LoggingSystem.get(getClass().getClassLoader()).setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.INFO);
    }

    @Test
    void writesTheNextMigrationInSafeFormsWhichAppliesUndoesAndLeavesNothingToChange(CapturedOutput output)
            throws IOException {
        run(JpaApplication.class, "--migrator.command=generate", "--migrator.generate.description=add customer phone");

        assertThat(exitCode).hasValue(0);
        assertThat(files())
                .containsExactly(
                        "U1__create_customer.sql",
                        "U2__add_customer_phone.sql",
                        "U3__add_customer_phone_concurrently.sql",
                        "U3__add_customer_phone_concurrently.sql.conf",
                        "V1__create_customer.sql",
                        "V2__add_customer_phone.sql",
                        "V3__add_customer_phone_concurrently.sql",
                        "V3__add_customer_phone_concurrently.sql.conf");
        // The header's notes wrap at 110 characters: read them unwrapped.
        String first = read("V2__add_customer_phone.sql").replace("\n--     ", " ");
        String second = read("V3__add_customer_phone_concurrently.sql");
        assertThat(first)
                .contains("against a database built from the migrations up to version 1")
                .contains("table legacy_note: no entity maps it")
                .contains("column customer.nickname: no field maps it. If a field was renamed, write ALTER TABLE"
                        + " customer RENAME COLUMN nickname TO <new>")
                .containsPattern("(?m)^create table address \\(.*\\);$")
                .containsPattern("(?m)^create table region \\(.*\\);$")
                .containsPattern("(?m)^alter table if exists customer add column phone varchar\\(255\\);$")
                .containsPattern("(?m)^alter table if exists address add constraint \\S+ foreign key \\(customer_id\\)"
                        + " references customer;$")
                .as("a foreign key on an existing table is added NOT VALID")
                .containsPattern("(?m)^alter table customer add constraint (\\S+) foreign key \\(region_id\\)"
                        + " references region not valid;$")
                .doesNotContain("unique");
        assertThat(second)
                .contains("create index concurrently customer_email_idx on customer (email);")
                .containsPattern("(?m)^create unique index concurrently (\\S+) on customer \\(phone\\);$")
                .containsPattern("(?m)^alter table customer add constraint (\\S+) unique using index \\1;$")
                .containsPattern("(?m)^alter table customer validate constraint \\S+;$")
                .doesNotContain("create table");
        assertThat(read("V3__add_customer_phone_concurrently.sql.conf")).isEqualTo("executeInTransaction=false\n");
        assertThat(read("U2__add_customer_phone.sql"))
                .containsSubsequence(
                        "alter table customer drop constraint ",
                        "drop table region;",
                        "alter table customer drop column region_id;",
                        "alter table customer drop column phone;",
                        "drop table address;");
        assertThat(read("U3__add_customer_phone_concurrently.sql"))
                .contains("drop index concurrently if exists customer_email_idx;");
        assertThat(output)
                .contains("migrator generate: WRITTEN into " + this.schema.toRealPath())
                .contains("table legacy_note: no entity maps it");

        run(JpaApplication.class, "--migrator.command=migrate");
        assertThat(exitCode).hasValue(0);
        assertThat(this.jdbc.queryForObject(
                        "SELECT count(*) FROM pg_indexes WHERE indexname = 'customer_email_idx'", Long.class))
                .isEqualTo(1);
        assertThat(this.jdbc.queryForList(
                        "SELECT contype::text || convalidated FROM pg_constraint WHERE conrelid = 'customer'::regclass"
                                + " AND contype IN ('f', 'u') ORDER BY 1",
                        String.class))
                .as("the foreign key validated, the unique key attached")
                .containsExactly("ftrue", "utrue");

        int before = output.getOut().length();
        run(JpaApplication.class, "--migrator.command=generate", "--migrator.generate.description=again");
        assertThat(exitCode).hasValue(0);
        assertThat(output.getOut().substring(before))
                .contains("migrator generate: NOTHING TO CHANGE")
                .contains("up to version 3")
                .as("what no entity maps is still said")
                .contains("  - table legacy_note: no entity maps it");
        assertThat(files()).hasSize(8);

        run(JpaApplication.class, "--migrator.command=undo", "--migrator.schema.target=1");
        assertThat(exitCode).hasValue(0);
        assertThat(this.jdbc.queryForObject("SELECT to_regclass('address') IS NULL", Boolean.class))
                .isTrue();
        assertThat(this.jdbc.queryForObject(
                        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'customer'"
                                + " AND column_name = 'phone'",
                        Long.class))
                .isZero();
    }

    @Test
    void dryRunPrintsTheFilesAndWritesNothing(CapturedOutput output) throws IOException {
        run(
                JpaApplication.class,
                "--migrator.command=generate",
                "--migrator.generate.description=add_phone",
                "--migrator.generate.dry-run=true",
                "--migrator.generate.database=scratch");

        assertThat(exitCode).hasValue(0);
        assertThat(output)
                .contains("migrator generate: DRY RUN, nothing written")
                .contains("built on the scratch database migrator_generate_")
                .contains("==> V2__add_phone.sql <==")
                .contains("==> V3__add_phone_concurrently.sql <==")
                .contains("create index concurrently customer_email_idx on customer (email);");
        assertThat(files()).containsExactly("U1__create_customer.sql", "V1__create_customer.sql");
        assertThat(this.jdbc.queryForObject(
                        "SELECT count(*) FROM pg_database WHERE datname LIKE 'migrator\\_generate\\_%'", Long.class))
                .as("the scratch database is dropped")
                .isZero();
    }

    @Test
    void jsonOutputHasTheOutcomeTheVersionAndTheFiles(CapturedOutput output) throws IOException {
        run(
                JpaApplication.class,
                "--migrator.command=generate",
                "--migrator.generate.description=add_phone",
                "--migrator.generate.dry-run=true",
                "--migrator.output=json");

        assertThat(exitCode).hasValue(0);
        String printed = output.getOut();
        tools.jackson.databind.JsonNode json = tools.jackson.databind.json.JsonMapper.builder()
                .build()
                .readTree(printed.substring(printed.lastIndexOf("\n{") + 1));
        assertThat(json.get("outcome").asString()).isEqualTo("DRY_RUN");
        assertThat(json.get("builtAt").asString()).isEqualTo("1");
        assertThat(json.get("files").has("V2__add_phone.sql")).isTrue();
        assertThat(json.get("files").get("V3__add_phone_concurrently.sql").asString())
                .contains("create index concurrently customer_email_idx on customer (email);");
        assertThat(json.get("notes").size()).isEqualTo(2);
        assertThat(files()).containsExactly("U1__create_customer.sql", "V1__create_customer.sql");
    }

    @Test
    void aDescriptionThatIsNotAFileNameIsRefusedBeforeAnythingRuns(CapturedOutput output) throws IOException {
        run(JpaApplication.class, "--migrator.command=generate", "--migrator.generate.description=../add:phone");

        assertThat(exitCode).hasValue(1);
        assertThat(output)
                .contains("Invalid value '../add:phone' for 'migrator.generate.description'")
                .contains("add_customer_phone");
        assertThat(files()).containsExactly("U1__create_customer.sql", "V1__create_customer.sql");
    }

    @Test
    void aMissingDescriptionIsRefused(CapturedOutput output) throws IOException {
        run(JpaApplication.class, "--migrator.command=generate");

        assertThat(exitCode).hasValue(1);
        assertThat(output).contains("'migrator.generate.description' is not set");
        assertThat(files()).hasSize(2);
    }

    @Test
    void aFileWithTheNextVersionIsRefusedAndNothingIsWritten(CapturedOutput output) throws IOException {
        Files.writeString(this.schema.resolve("U2__left_over.sql"), "SELECT 1;");

        run(JpaApplication.class, "--migrator.command=generate", "--migrator.generate.description=add_phone");

        assertThat(exitCode).hasValue(1);
        assertThat(output)
                .contains("already has U2__left_over.sql with the same version. Nothing was written.")
                .contains("Rename or remove that file");
        assertThat(files()).containsExactly("U1__create_customer.sql", "U2__left_over.sql", "V1__create_customer.sql");
    }

    @Test
    void withoutAFilesystemLocationItSaysWhereToWrite(CapturedOutput output) throws IOException {
        run(
                JpaApplication.class,
                "--migrator.command=generate",
                "--migrator.generate.description=add_phone",
                "--migrator.schema.locations=classpath:generate/none");

        assertThat(exitCode).hasValue(1);
        assertThat(output)
                .contains("writes into the first filesystem: schema location, and the schema locations"
                        + " [classpath:generate/none] have none")
                .contains("--migrator.schema.locations=filesystem:src/main/resources/db/migration");
    }

    @Test
    void withSeveralMigrationSetsItAsksWhichOne(CapturedOutput output) throws IOException {
        Path audit = Files.createDirectory(this.root.resolve("audit"));
        run(
                JpaApplication.class,
                "--migrator.command=generate",
                "--migrator.generate.description=add_phone",
                "--migrator.sets.audit.schema.locations=filesystem:" + audit,
                "--migrator.sets.audit.data.enabled=false");

        assertThat(exitCode).hasValue(1);
        assertThat(output)
                .contains("migrator generate writes one migration, and the service has 2 migration sets: default,"
                        + " audit.")
                .contains("--migrator.set=default");
        assertThat(files()).hasSize(2);
    }

    @Test
    void withoutJpaItSaysThereAreNoEntities(CapturedOutput output) throws IOException {
        run(JdbcApplication.class, "--migrator.command=generate", "--migrator.generate.description=add_phone");

        assertThat(exitCode).hasValue(1);
        assertThat(output).contains("the application has no JPA entity manager factory");
        assertThat(files()).hasSize(2);
    }

    @Test
    void withoutHibernateOnTheClasspathItSaysWhatToAdd() {
        SchemaGenerator generator = new SchemaGenerator(
                dev.migrator.core.Migrator.configure(this.database.dataSource()).load(), null, () -> {
                    throw new AssertionError("no database is built without entities");
                });

        org.assertj.core.api.Assertions.assertThatExceptionOfType(dev.migrator.core.MigratorException.class)
                .isThrownBy(() -> generator.generate("add_phone", false))
                .withMessageContaining("there is no JPA entity manager factory with Hibernate")
                .withMessageContaining("spring-boot-starter-data-jpa");
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(this.schema)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private String read(String name) throws IOException {
        return Files.readString(this.schema.resolve(name));
    }

    private void run(Class<?> application, String... args) {
        new SpringApplicationBuilder(application)
                .properties(Stream.concat(
                                Stream.of(this.database.springProperties()),
                                Stream.of(
                                        "migrator.schema.locations=filesystem:" + this.schema,
                                        "migrator.data.enabled=false",
                                        "migrator.checks.locations=filesystem:" + this.root.resolve("checks")))
                        .toArray(String[]::new))
                .run(args);
    }

    @SpringBootConfiguration
    @ImportAutoConfiguration({
        DataSourceAutoConfiguration.class,
        HibernateJpaAutoConfiguration.class,
        MigratorAutoConfiguration.class
    })
    @EntityScan(basePackageClasses = Customer.class)
    static class JpaApplication {

        @Bean
        MigratorCommandExit capturingExit() {
            return exitCode::set;
        }
    }

    @SpringBootConfiguration
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, MigratorAutoConfiguration.class})
    static class JdbcApplication {

        @Bean
        MigratorCommandExit capturingExit() {
            return exitCode::set;
        }
    }
}
