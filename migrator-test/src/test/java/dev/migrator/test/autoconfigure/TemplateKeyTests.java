package dev.migrator.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.data.BaseDataMigration;
import dev.migrator.core.data.DataMigrationContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.core.env.StandardEnvironment;

class TemplateKeyTests {

    @TempDir
    Path root;

    private Path schema;

    private Path data;

    private final DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();

    @BeforeEach
    void writeMigrations() throws IOException {
        this.schema = Files.createDirectories(this.root.resolve("schema"));
        this.data = Files.createDirectories(this.root.resolve("data"));
        Files.writeString(this.schema.resolve("V1__create_item.sql"), "CREATE TABLE item (id int);");
        Files.createDirectories(this.schema.resolve("more"));
        Files.writeString(this.schema.resolve("more/V2__add_name.sql"), "ALTER TABLE item ADD name text;");
        Files.writeString(this.data.resolve("D1__seed_item.sql"), "INSERT INTO item VALUES (1, 'one');");
    }

    @Test
    void sameMigrationsGiveTheSameKey() {
        assertThat(key().hex()).hasSize(64).isEqualTo(key().hex());
        assertThat(key().summary()).startsWith("2 schema file(s), 1 data file(s), 0 migration class(es)");
    }

    @Test
    void changingOneSchemaFileChangesTheKey() throws IOException {
        TemplateKey before = key();

        Files.writeString(this.schema.resolve("more/V2__add_name.sql"), "ALTER TABLE item ADD name varchar(10);");

        assertThat(key().hex()).isNotEqualTo(before.hex());
    }

    @Test
    void theFilesOfEveryMigrationSetKeyTheTemplate() throws IOException {
        Path jobs = Files.createDirectories(this.root.resolve("jobs"));
        Files.writeString(jobs.resolve("V1__create_job.sql"), "CREATE TABLE job (id int);");
        String set = "migrator.sets.jobs.schema.locations=filesystem:" + jobs;
        TemplateKey before = key(set);
        assertThat(before.summary()).startsWith("3 schema file(s)");

        Files.writeString(jobs.resolve("V1__create_job.sql"), "CREATE TABLE job (id bigint);");

        assertThat(key(set).hex()).isNotEqualTo(before.hex());
    }

    @Test
    void changingOneDataFileChangesTheKey() throws IOException {
        TemplateKey before = key();

        Files.writeString(this.data.resolve("D1__seed_item.sql"), "INSERT INTO item VALUES (1, 'One');");

        assertThat(key().hex()).isNotEqualTo(before.hex());
    }

    @Test
    void renamingOrAddingAFileChangesTheKey() throws IOException {
        TemplateKey before = key();
        Files.move(this.data.resolve("D1__seed_item.sql"), this.data.resolve("D2__seed_item.sql"));
        TemplateKey renamed = key();
        Files.writeString(this.data.resolve("R__items.sql"), "SELECT 1;");

        assertThat(renamed.hex()).isNotEqualTo(before.hex());
        assertThat(key().hex()).isNotEqualTo(renamed.hex()).isNotEqualTo(before.hex());
    }

    @Test
    void aJavaDataMigrationBeanChangesTheKey() {
        TemplateKey before = key();

        this.beanFactory.registerBeanDefinition("d2", new RootBeanDefinition(D2__FillNames.class));

        assertThat(key().hex()).isNotEqualTo(before.hex());
        assertThat(key().summary()).contains("1 migration class(es)");
    }

    @Test
    void targetsAndApplicationPropertiesChangeTheKey() {
        TemplateKey before = key();

        assertThat(key("migrator.data.target=current").hex()).isNotEqualTo(before.hex());
        assertThat(key("migrator.schema.target=1").hex()).isNotEqualTo(before.hex());
        assertThat(key("demo.seed.items=10").hex())
                .isNotEqualTo(before.hex())
                .isNotEqualTo(key("demo.seed.items=11").hex());
    }

    @Test
    void connectionAndLoggingPropertiesLeaveTheKeyAlone() {
        TemplateKey before = key();

        assertThat(key(
                                "spring.datasource.url=jdbc:postgresql://elsewhere/db",
                                "migrator.test.url=jdbc:postgresql://localhost/postgres",
                                "logging.level.root=DEBUG")
                        .hex())
                .isEqualTo(before.hex());
    }

    private TemplateKey key(String... properties) {
        StandardEnvironment environment = new StandardEnvironment();
        TestPropertyValues.of(
                        "migrator.schema.locations=filesystem:" + this.schema,
                        "migrator.data.locations=filesystem:" + this.data)
                .and(properties)
                .applyTo(environment);
        return TemplateKey.of(environment, this.beanFactory, getClass().getClassLoader());
    }

    static class D2__FillNames extends BaseDataMigration {

        @Override
        public void migrate(DataMigrationContext context) {}
    }
}
