package dev.migrator.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

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
 * An existing database adopts the data track: a baseline for a history that starts late, and data
 * migrations recorded as applied without running them, for work done by hand.
 */
class DataBaselineIntegrationTests {

    @TempDir
    Path data;

    private FreshDatabase database;

    private JdbcTemplate jdbc;

    @BeforeEach
    void anExistingDatabase() throws IOException {
        this.database = TestPostgres.server().createDatabase();
        this.jdbc = new JdbcTemplate(this.database.dataSource());
        this.jdbc.execute("CREATE TABLE account (id int PRIMARY KEY, status text)");
        this.jdbc.execute("INSERT INTO account VALUES (1, 'seeded by hand')");
        Files.writeString(this.data.resolve("D1__seed.sql"), "INSERT INTO account VALUES (1, 'seeded');");
        Files.writeString(this.data.resolve("D2__activate.sql"), "UPDATE account SET status = 'active' WHERE id = 1;");
        Files.writeString(this.data.resolve("U2__activate.sql"), "UPDATE account SET status = 'seeded' WHERE id = 1;");
        Files.writeString(this.data.resolve("D3__second.sql"), "INSERT INTO account VALUES (2, 'new');");
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void aBaselineTakesTheDataMigrationsUpToItAsAppliedAndIsRecordedByTheFirstRun() throws IOException {
        Migrator migrator = migrator().dataBaselineVersion("2").load();

        TrackStatus before = migrator.status().data();
        assertThat(before.current()).contains("2");
        assertThat(before.pending()).extracting(MigrationEntry::script).containsExactly("D3__second.sql");

        RunReport report = migrator.migrate();

        assertThat(report.dataApplied()).extracting(a -> a.migration().script()).containsExactly("D3__second.sql");
        assertThat(this.jdbc.queryForList(
                        "SELECT type || ':' || version FROM migrator_data_history ORDER BY installed_rank",
                        String.class))
                .containsExactly("BASELINE:2", "SQL:3");
        assertThat(this.jdbc.queryForObject("SELECT status FROM account WHERE id = 1", String.class))
                .as("D1 and D2 did not run")
                .isEqualTo("seeded by hand");
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> migrator.undo(RunOptions.defaults().dataTarget("1")))
                .satisfies(ex -> assertThat(ex.getMessage()).contains("below the data baseline at version '2'"));

        Files.writeString(this.data.resolve("U3__second.sql"), "DELETE FROM account WHERE id = 2;");
        assertThat(migrator.undo(RunOptions.defaults().dataTarget("2")).undone())
                .as("down to the baseline, undo works")
                .extracting(step -> step.migration().script())
                .containsExactly("D3__second.sql");
        assertThat(this.jdbc.queryForList(
                        "SELECT type || ':' || version FROM migrator_data_history ORDER BY installed_rank",
                        String.class))
                .containsExactly("BASELINE:2");
    }

    @Test
    void markAppliedRecordsThePendingDataMigrationsUpToTheTargetWithoutRunningThem() {
        Migrator migrator = migrator().load();

        assertThat(migrator.markApplied(RunOptions.defaults().dataTarget("1")))
                .extracting(MigrationEntry::script)
                .containsExactly("D1__seed.sql");

        assertThat(this.jdbc.queryForObject(
                        "SELECT type || ':' || version || ':' || execution_time_ms FROM migrator_data_history",
                        String.class))
                .isEqualTo("SQL_MARKED:1:0");
        assertThat(migrator.status().data().pending())
                .extracting(MigrationEntry::script)
                .containsExactly("D2__activate.sql", "D3__second.sql");
        RunReport report = migrator.migrate();
        assertThat(report.dataApplied())
                .extracting(a -> a.migration().script())
                .containsExactly("D2__activate.sql", "D3__second.sql");
        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM account", Long.class))
                .as("D1 never ran: it would have failed on the row seeded by hand")
                .isEqualTo(2);
    }

    @Test
    void markAppliedNeedsAVersionAndABaselineAVersion() {
        Migrator migrator = migrator().load();

        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> migrator.markApplied(RunOptions.defaults()))
                .satisfies(ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.CONFIGURATION);
                    assertThat(ex.getMessage()).contains("the data target is 'latest'");
                });
        assertThat(this.jdbc.queryForObject("SELECT to_regclass('migrator_data_history') IS NULL", Boolean.class))
                .as("nothing recorded")
                .isTrue();
        assertThatExceptionOfType(InvalidSettingException.class)
                .isThrownBy(() -> migrator().dataBaselineVersion("two").load())
                .withMessageContaining("'two'");
    }

    private MigratorConfiguration migrator() {
        return Migrator.configure(this.database.dataSource())
                .schemaEnabled(false)
                .dataLocations("filesystem:" + this.data);
    }
}
