package dev.migrator.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.test.postgres.CountingDataSource;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The status is kept between reads while the history tables stay as they were, and read again the
 * moment another instance changes them.
 */
class StatusCacheIntegrationTests {

    @TempDir
    Path root;

    private FreshDatabase database;

    private JdbcTemplate jdbc;

    private Path schema;

    private Path data;

    @BeforeEach
    void setUp() throws Exception {
        this.database = TestPostgres.server().createDatabase();
        this.jdbc = new JdbcTemplate(this.database.dataSource());
        this.schema = Files.createDirectory(this.root.resolve("schema"));
        this.data = Files.createDirectory(this.root.resolve("data"));
        Files.writeString(this.schema.resolve("V1__create_a.sql"), "CREATE TABLE a (id int);");
        Files.writeString(this.schema.resolve("V2__create_b.sql"), "CREATE TABLE b (id int);");
        Files.writeString(this.data.resolve("D1__fill_a.sql"), "INSERT INTO a VALUES (1);");
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void aStatusReadAgainWithNothingChangedAsksOneQuery() {
        CountingDataSource counting = new CountingDataSource(this.database.dataSource());
        Migrator reader = migrator(counting);
        reader.migrate();
        MigrationStatus first = reader.status();
        long before = counting.connections();

        MigrationStatus second = reader.status();

        assertThat(second).isEqualTo(first);
        assertThat(counting.connections() - before)
                .as("connections opened by a status read of an unchanged database")
                .isEqualTo(1L);
    }

    @Test
    void whatAnotherInstanceAppliesShowsInTheNextRead() {
        Migrator reader = migrator(this.database.dataSource());
        Migrator other = migrator(this.database.dataSource());
        other.migrate(RunOptions.defaults().schemaTarget("1"));
        assertThat(reader.status().schema().pending()).hasSize(1);
        assertThat(reader.status().schema().pending())
                .as("read again, unchanged")
                .hasSize(1);

        other.migrate();

        MigrationStatus after = reader.status();
        assertThat(after.schema().current()).contains("2");
        assertThat(after.schema().pending()).isEmpty();
        assertThat(after.data().current()).contains("1");
        assertThat(after.isUpToDate()).isTrue();
    }

    @Test
    void aHistoryRowChangedByHandShowsInTheNextRead() {
        Migrator reader = migrator(this.database.dataSource());
        reader.migrate();
        assertThat(reader.status().data().failed()).isEmpty();

        this.jdbc.update("UPDATE migrator_data_history SET success = false WHERE version = '1'");

        assertThat(reader.status().data().failed())
                .extracting(m -> m.version().orElseThrow())
                .containsExactly("1");
    }

    private Migrator migrator(DataSource dataSource) {
        return Migrator.configure(dataSource)
                .schemaLocations("filesystem:" + this.schema)
                .dataLocations("filesystem:" + this.data)
                .load();
    }
}
