package dev.migrator.core.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Data migrations are checksummed like Flyway's scripts, so that a team reads one kind of number in
 * both history tables: the same file gets the checksum Flyway itself computes.
 */
class SqlScriptChecksumIntegrationTests {

    @TempDir
    Path folder;

    private FreshDatabase database;

    @BeforeEach
    void createDatabase() {
        this.database = TestPostgres.server().createDatabase();
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "UPDATE orders SET total = 0;\nDELETE FROM carts;\n",
                "UPDATE orders SET total = 0;\r\nDELETE FROM carts;\r\n",
                "\uFEFFINSERT INTO city (name) VALUES ('Zürich');",
                "-- no trailing newline\nSELECT 1;",
                ""
            })
    void checksumIsTheOneFlywayComputesForTheSameFile(String content) throws IOException {
        Files.write(this.folder.resolve("V1__same.sql"), content.getBytes(StandardCharsets.UTF_8));

        MigrationInfo[] flyway = Flyway.configure()
                .dataSource(this.database.dataSource())
                .locations("filesystem:" + this.folder)
                .load()
                .info()
                .all();

        assertThat(flyway).hasSize(1);
        assertThat(SqlScript.checksum(content)).isEqualTo(flyway[0].getChecksum());
    }
}
