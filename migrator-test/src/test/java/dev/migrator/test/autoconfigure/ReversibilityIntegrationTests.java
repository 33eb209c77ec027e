package dev.migrator.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.migrator.core.MigrationEntry;
import dev.migrator.core.Migrator;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link MigrationTester#assertReversible()}: apply, undo and apply again each migration with an
 * undo, comparing the catalog (and the rows, for data migrations) with what it was.
 */
class ReversibilityIntegrationTests {

    @TempDir
    Path folder;

    private Path schema;

    private Path data;

    private FreshDatabase database;

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @BeforeEach
    void writeTheSet() throws IOException {
        this.database = TestPostgres.server().createDatabase();
        this.schema = Files.createDirectories(this.folder.resolve("schema"));
        this.data = Files.createDirectories(this.folder.resolve("data"));
        write(this.schema, "V1__create_customer.sql", "CREATE TABLE customer (id int PRIMARY KEY, email text);");
        write(this.schema, "V2__add_status.sql", "ALTER TABLE customer ADD COLUMN status text DEFAULT 'new';");
        write(this.schema, "U2__add_status.sql", "ALTER TABLE customer DROP COLUMN status;");
        write(this.schema, "V3__index_email.sql", "CREATE INDEX customer_email ON customer (email);");
        write(this.schema, "U3__index_email.sql", "DROP INDEX customer_email;");
        write(this.data, "D1__activate.sql", "UPDATE customer SET status = 'active' WHERE email LIKE '%@example.com';");
        write(this.data, "U1__activate.sql", "UPDATE customer SET status = 'new' WHERE email LIKE '%@example.com';");
    }

    @Test
    void everyMigrationWithAnUndoIsAppliedUndoneAndAppliedAgain() {
        MigrationTester migrations = tester();
        migrations.migrateTo(dev.migrator.core.Track.SCHEMA, "3");
        migrations.undoTo(dev.migrator.core.Track.SCHEMA, "1");
        new JdbcTemplate(this.database.dataSource())
                .update("INSERT INTO customer (id, email) VALUES (1, 'ada@example.com'), (2, 'alan@example.org')");

        assertThat(migrations.assertReversible())
                .extracting(MigrationEntry::script)
                .containsExactly("V2__add_status.sql", "V3__index_email.sql", "D1__activate.sql");
        assertThat(migrations.status().isUpToDate()).isTrue();
    }

    @Test
    void anUndoThatLeavesTheIndexIsNamedWithTheDifference() throws IOException {
        write(this.schema, "U3__index_email.sql", "SELECT 1;");

        assertThatExceptionOfType(AssertionError.class)
                .isThrownBy(() -> tester().assertReversible())
                .withMessageContaining(
                        "Migration 'V3__index_email.sql' undone does not leave the database as it was" + " before it")
                .withMessageContaining("+ index CREATE INDEX customer_email ON public.customer USING btree (email)");
    }

    @Test
    void aDataUndoThatDoesNotPutTheRowsBackIsFound() throws IOException {
        write(this.data, "U1__activate.sql", "UPDATE customer SET status = NULL WHERE email LIKE '%@example.com';");
        MigrationTester migrations = tester();
        migrations.migrateTo(dev.migrator.core.Track.SCHEMA, "latest");
        new JdbcTemplate(this.database.dataSource())
                .update("INSERT INTO customer (id, email) VALUES (1, 'ada@example.com')");

        assertThatExceptionOfType(AssertionError.class)
                .isThrownBy(migrations::assertReversible)
                .withMessageContaining("Migration 'D1__activate.sql' undone does not leave the database as it was")
                .withMessageContaining("- rows public.customer 1 ");
    }

    private MigrationTester tester() {
        return MigrationTester.of(Migrator.configure(this.database.dataSource())
                .schemaLocations("filesystem:" + this.schema)
                .dataLocations("filesystem:" + this.data)
                .load());
    }

    private static void write(Path folder, String name, String sql) throws IOException {
        Files.writeString(folder.resolve(name), sql);
    }
}
