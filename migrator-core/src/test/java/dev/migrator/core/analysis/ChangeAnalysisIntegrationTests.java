package dev.migrator.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.migrator.core.AppliedMigration;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigrationFailedException;
import dev.migrator.core.Migrator;
import dev.migrator.core.RunReport;
import dev.migrator.core.data.BaseDataMigration;
import dev.migrator.core.data.DataMigrationContext;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Each rule of the change analysis against a real PostgreSQL: a migration that does what the rule
 * is about is found, and the safe form passes. The migration under test is always the second; the
 * first creates what exists before it.
 */
class ChangeAnalysisIntegrationTests {

    private static final String TABLE =
            "CREATE TABLE t (id int PRIMARY KEY, n int);" + " INSERT INTO t SELECT g, g FROM generate_series(1, 10) g;";

    @TempDir
    Path folder;

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of(
                        Rule.TABLE_REWRITE,
                        TABLE,
                        "ALTER TABLE t ALTER COLUMN n TYPE bigint;",
                        "ALTER TABLE t ADD COLUMN n2 bigint;"),
                Arguments.of(
                        Rule.COLUMN_TYPE_CHANGE,
                        TABLE,
                        "ALTER TABLE t ALTER COLUMN n TYPE bigint;",
                        "ALTER TABLE t ADD COLUMN n2 bigint;"),
                Arguments.of(
                        Rule.BLOCKING_INDEX_BUILD,
                        TABLE,
                        "CREATE INDEX t_n ON t (n);",
                        "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_n ON t (n);"),
                Arguments.of(
                        Rule.BLOCKING_INDEX_BUILD,
                        TABLE,
                        "ALTER TABLE t ADD CONSTRAINT t_n_key UNIQUE (n);",
                        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_n_key ON t (n);"),
                Arguments.of(
                        Rule.BLOCKING_INDEX_DROP,
                        TABLE + " CREATE INDEX t_n ON t (n);",
                        "DROP INDEX t_n;",
                        "DROP INDEX CONCURRENTLY IF EXISTS t_n;"),
                Arguments.of(
                        Rule.VALIDATING_CONSTRAINT,
                        TABLE,
                        "ALTER TABLE t ADD CONSTRAINT n_positive CHECK (n > 0);",
                        "ALTER TABLE t ADD CONSTRAINT n_positive CHECK (n > 0) NOT VALID;"),
                Arguments.of(
                        Rule.VALIDATING_CONSTRAINT,
                        TABLE + " CREATE TABLE u (id int PRIMARY KEY, t_id int); CREATE INDEX u_t ON u (t_id);",
                        "ALTER TABLE u ADD CONSTRAINT u_t_fk FOREIGN KEY (t_id) REFERENCES t;",
                        "ALTER TABLE u ADD CONSTRAINT u_t_fk FOREIGN KEY (t_id) REFERENCES t NOT VALID;"),
                Arguments.of(
                        Rule.NOT_NULL_ADDED,
                        TABLE,
                        "ALTER TABLE t ALTER COLUMN n SET NOT NULL;",
                        "ALTER TABLE t ADD CONSTRAINT n_not_null CHECK (n IS NOT NULL) NOT VALID;"),
                Arguments.of(
                        Rule.REQUIRED_COLUMN,
                        "CREATE TABLE e (id int PRIMARY KEY);",
                        "ALTER TABLE e ADD COLUMN c text NOT NULL;",
                        "ALTER TABLE e ADD COLUMN c text NOT NULL DEFAULT '';"),
                Arguments.of(
                        Rule.DROP_TABLE,
                        TABLE,
                        "DROP TABLE t;",
                        "-- migrator:allow drop-table archived to cold storage in ticket 42\nDROP TABLE t;"),
                Arguments.of(
                        Rule.DROP_COLUMN,
                        TABLE,
                        "ALTER TABLE t DROP COLUMN n;",
                        "-- migrator:allow drop-column unused since release 12, backed up\nALTER TABLE t DROP COLUMN n;"),
                Arguments.of(
                        Rule.RENAME_TABLE, TABLE, "ALTER TABLE t RENAME TO t2;", "CREATE VIEW t2 AS SELECT * FROM t;"),
                Arguments.of(
                        Rule.RENAME_COLUMN,
                        TABLE,
                        "ALTER TABLE t RENAME COLUMN n TO m;",
                        "ALTER TABLE t ADD COLUMN m int;"),
                Arguments.of(
                        Rule.FOREIGN_KEY_WITHOUT_INDEX,
                        "CREATE TABLE p (id int PRIMARY KEY);",
                        "CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p);",
                        "CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p); CREATE INDEX c_p ON c (p_id);"),
                Arguments.of(
                        Rule.ACCESS_EXCLUSIVE_LOCK,
                        TABLE,
                        "ALTER TABLE t ADD COLUMN x int;",
                        "CREATE TABLE other (id int);"),
                Arguments.of(
                        Rule.UNBATCHED_DML,
                        "CREATE TABLE t (id int PRIMARY KEY, n int);"
                                + " INSERT INTO t SELECT g, g FROM generate_series(1, 12000) g;",
                        "UPDATE t SET n = n + 1 WHERE n > 0;",
                        "UPDATE t SET n = n + 1 WHERE id <= 100;"),
                Arguments.of(Rule.DML_WITHOUT_WHERE, TABLE, "DELETE FROM t;", "DELETE FROM t WHERE id = 1;"),
                Arguments.of(
                        Rule.CONCURRENT_INDEX_NOT_IDEMPOTENT,
                        TABLE,
                        "CREATE INDEX CONCURRENTLY t_n ON t (n);",
                        "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_n ON t (n);"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("rules")
    void eachRuleFindsWhatItIsAboutAndPassesItsSafeForm(Rule rule, String before, String migration, String safe)
            throws IOException {
        List<Finding> found = findings(before, migration);
        assertThat(found).as("findings of '%s'", migration).anySatisfy(finding -> {
            assertThat(finding.rule()).isEqualTo(rule);
            assertThat(finding.migration()).isEqualTo("V2__change.sql");
            assertThat(finding.allowed()).isEmpty();
            assertThat(finding.describe()).contains(rule.id()).contains(rule.safeForm());
        });

        List<Finding> safeFindings = findings(before, safe);
        assertThat(safeFindings)
                .as("findings of the safe form '%s'", safe)
                .noneMatch(
                        finding -> finding.rule() == rule && finding.allowed().isEmpty());
    }

    @Test
    void anAllowedFindingKeepsItsReasonAndCountsForNothing() throws IOException {
        List<Finding> found = findings(
                TABLE,
                "-- migrator:allow drop-column unused since release 12, backed up\nALTER TABLE t DROP COLUMN n;");

        assertThat(found)
                .filteredOn(finding -> finding.rule() == Rule.DROP_COLUMN)
                .singleElement()
                .satisfies(finding -> {
                    assertThat(finding.rule()).isEqualTo(Rule.DROP_COLUMN);
                    assertThat(finding.object()).isEqualTo("public.t.n");
                    assertThat(finding.allowed()).contains("unused since release 12, backed up");
                    assertThat(finding.counts(Severity.INFO)).isFalse();
                });
    }

    @Test
    void aBlockingOperationOnALargeTableIsAnError() throws IOException {
        List<Finding> found = findings(
                "CREATE TABLE big (id int PRIMARY KEY, n int); INSERT INTO big SELECT g, g FROM generate_series(1,"
                        + " 120000) g; ANALYZE big;",
                "CREATE INDEX big_n ON big (n);");

        assertThat(found)
                .filteredOn(finding -> finding.rule() == Rule.BLOCKING_INDEX_BUILD)
                .singleElement()
                .satisfies(finding -> assertThat(finding.severity()).isEqualTo(Severity.ERROR));
    }

    @Test
    void anUnknownRuleInADirectiveStopsTheMigrationBeforeItRuns() throws IOException {
        script("V1__create.sql", TABLE);
        script("V2__change.sql", "-- migrator:allow drop-colum typo\nALTER TABLE t DROP COLUMN n;");
        try (FreshDatabase database = TestPostgres.server().createDatabase()) {
            assertThatExceptionOfType(MigrationFailedException.class)
                    .isThrownBy(() -> migrator(database).migrate())
                    .satisfies(ex -> assertThat(ex.code()).isEqualTo(ErrorCode.CONFIGURATION))
                    .withMessageContaining("Unknown rule 'drop-colum' in '-- migrator:allow drop-colum typo' at line 1"
                            + " of 'V2__change.sql'")
                    .withMessageContaining("drop-column");
            assertThat(new JdbcTemplate(database.dataSource())
                            .queryForObject(
                                    "SELECT count(*) FROM information_schema.columns WHERE table_name = 't'",
                                    Long.class))
                    .as("the column is still there")
                    .isEqualTo(2);
        }
    }

    @Test
    void anAllowanceWithoutAReasonIsRefused() throws IOException {
        script("V1__create.sql", TABLE);
        script("V2__change.sql", "-- migrator:allow drop-column\nALTER TABLE t DROP COLUMN n;");
        try (FreshDatabase database = TestPostgres.server().createDatabase()) {
            assertThatExceptionOfType(MigrationFailedException.class)
                    .isThrownBy(() -> migrator(database).migrate())
                    .withMessageContaining(
                            "No reason in '-- migrator:allow drop-column' at line 1 of 'V2__change.sql'");
        }
    }

    @Test
    void dataMigrationsAreAnalysedTooAndJavaOnesAllowByAnnotation() throws IOException {
        script(
                "V1__create.sql",
                "CREATE TABLE t (id int PRIMARY KEY, n int);"
                        + " INSERT INTO t SELECT g, g FROM generate_series(1, 12000) g;");
        Path data = Files.createDirectories(this.folder.resolve("data"));
        Files.writeString(data.resolve("D1__bump.sql"), "UPDATE t SET n = n + 1;");
        try (FreshDatabase database = TestPostgres.server().createDatabase()) {
            RunReport report = Migrator.configure(database.dataSource())
                    .schemaLocations("filesystem:" + this.folder)
                    .dataLocations("filesystem:" + data)
                    .dataMigrations(List.of(new D2__ClearAll()))
                    .load()
                    .migrate();

            assertThat(report.dataApplied()).hasSize(2);
            assertThat(report.dataApplied().get(0).findings())
                    .extracting(Finding::rule)
                    .contains(Rule.DML_WITHOUT_WHERE, Rule.UNBATCHED_DML);
            assertThat(report.dataApplied().get(1).findings())
                    .filteredOn(finding -> finding.rule() == Rule.UNBATCHED_DML)
                    .singleElement()
                    .satisfies(
                            finding -> assertThat(finding.allowed()).contains("the table is a cache, empty is fine"));
        }
    }

    @Test
    void aNonTransactionalDataScriptWithMoreThanItsConcurrentIndexIsFound() throws IOException {
        script("V1__create.sql", TABLE);
        Path data = Files.createDirectories(this.folder.resolve("data"));
        Files.writeString(
                data.resolve("D1__index_and_fill.sql"),
                "-- migrator:no-transaction\n"
                        + "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_n ON t (n);\nUPDATE t SET n = 0 WHERE id = 1;");
        Files.writeString(
                data.resolve("D2__index_alone.sql"),
                "-- migrator:no-transaction\n" + "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_id_n ON t (id, n);");
        try (FreshDatabase database = TestPostgres.server().createDatabase()) {
            RunReport report = Migrator.configure(database.dataSource())
                    .schemaLocations("filesystem:" + this.folder)
                    .dataLocations("filesystem:" + data)
                    .load()
                    .migrate();

            assertThat(report.dataApplied().get(0).findings())
                    .extracting(Finding::rule)
                    .containsExactly(Rule.NON_TRANSACTIONAL_MIX, Rule.MISSING_UNDO);
            assertThat(report.dataApplied().get(1).findings())
                    .extracting(Finding::rule)
                    .containsExactly(Rule.MISSING_UNDO);
        }
    }

    @Test
    void aDataMigrationIsNotBlamedForTheSchemaMigrationsThatRanBeforeIt() throws IOException {
        script("V1__create.sql", TABLE);
        script("V3__retype.sql", "ALTER TABLE t ALTER COLUMN n TYPE bigint;");
        Path data = Files.createDirectories(this.folder.resolve("data"));
        Files.writeString(data.resolve("D2__one.sql"), "UPDATE t SET n = 1 WHERE id = 1;");
        Files.writeString(data.resolve("D4__two.sql"), "UPDATE t SET n = 2 WHERE id = 2;");
        try (FreshDatabase database = TestPostgres.server().createDatabase()) {
            RunReport report = Migrator.configure(database.dataSource())
                    .schemaLocations("filesystem:" + this.folder)
                    .dataLocations("filesystem:" + data)
                    .dataOrdering(dev.migrator.core.DataOrdering.BY_VERSION)
                    .load()
                    .migrate();

            assertThat(report.schemaApplied().get(1).findings())
                    .extracting(Finding::rule)
                    .contains(Rule.TABLE_REWRITE, Rule.COLUMN_TYPE_CHANGE);
            assertThat(report.dataApplied())
                    .as("V3 ran between D2 and D4; its rewrite is its own")
                    .allSatisfy(applied -> assertThat(applied.findings())
                            .extracting(Finding::rule)
                            .containsOnly(Rule.MISSING_UNDO));
        }
    }

    @Test
    void analysisOffReportsNothing() throws IOException {
        script("V1__create.sql", TABLE);
        script("V2__change.sql", "ALTER TABLE t DROP COLUMN n;");
        try (FreshDatabase database = TestPostgres.server().createDatabase()) {
            RunReport report = Migrator.configure(database.dataSource())
                    .schemaLocations("filesystem:" + this.folder)
                    .analysis(false)
                    .load()
                    .migrate();
            assertThat(report.findings()).isEmpty();
        }
    }

    @Test
    void aVersionedMigrationWithoutUndoIsAWarningThatAnUndoScriptOrAReasonSilences() throws IOException {
        script("V1__create.sql", "-- migrator:allow missing-undo the first table, dropped with the database\n" + TABLE);
        script("V2__change.sql", "ALTER TABLE t ADD COLUMN n2 int;");
        script("V3__more.sql", "ALTER TABLE t ADD COLUMN n3 int;");
        script("U3__more.sql", "ALTER TABLE t DROP COLUMN n3;");
        script("R__view.sql", "CREATE OR REPLACE VIEW t_view AS SELECT id FROM t;");
        try (FreshDatabase database = TestPostgres.server().createDatabase()) {
            List<Finding> found = migrator(database).migrate().findings().stream()
                    .filter(finding -> finding.rule() == Rule.MISSING_UNDO)
                    .toList();

            assertThat(found)
                    .extracting(
                            Finding::migration,
                            Finding::severity,
                            f -> f.allowed().isPresent())
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("V1__create.sql", Severity.WARNING, true),
                            org.assertj.core.groups.Tuple.tuple("V2__change.sql", Severity.WARNING, false));
            assertThat(found.get(0).describe()).contains("U<version>__<description>.sql");
        }
    }

    @Test
    void aPooledConnectionKeepsOneAnalysisQueryAcrossRuns() throws Exception {
        script("V1__create.sql", TABLE);
        script("V2__change.sql", "ALTER TABLE t DROP COLUMN n;");
        try (FreshDatabase database = TestPostgres.server().createDatabase()) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(database.jdbcUrl());
            config.setUsername(database.username());
            config.setPassword(database.password());
            config.setMaximumPoolSize(2);
            config.setMinimumIdle(2);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                Migrator migrator = Migrator.configure(pool)
                        .schemaLocations("filesystem:" + this.folder)
                        .dataEnabled(false)
                        .load();
                assertThat(migrator.migrate().findings())
                        .extracting(Finding::rule)
                        .contains(Rule.DROP_COLUMN);
                script("V3__again.sql", "ALTER TABLE t ADD COLUMN m int; ALTER TABLE t ALTER COLUMN m TYPE bigint;");
                assertThat(migrator.migrate().findings())
                        .as("the second run on the same pool still observes")
                        .extracting(Finding::rule)
                        .contains(Rule.TABLE_REWRITE);
                script("V4__more.sql", "ALTER TABLE t RENAME COLUMN m TO m2;");
                assertThat(migrator.migrate().findings())
                        .extracting(Finding::rule)
                        .contains(Rule.RENAME_COLUMN);

                // Both at once: one after the other, the pool would hand out the same one.
                List<Connection> connections = List.of(pool.getConnection(), pool.getConnection());
                try {
                    int total = 0;
                    for (Connection connection : connections) {
                        try (Statement statement = connection.createStatement();
                                ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_prepared_statements"
                                        + " WHERE name LIKE 'migrator\\_analysis\\_%'")) {
                            rs.next();
                            assertThat(rs.getInt(1))
                                    .as("analysis queries prepared on one pooled connection")
                                    .isLessThanOrEqualTo(1);
                            total += rs.getInt(1);
                        }
                    }
                    assertThat(total)
                            .as("the runs prepared their query on the server")
                            .isPositive();
                } finally {
                    for (Connection connection : connections) {
                        connection.close();
                    }
                }
            }
        }
    }

    /** Deletes every row: allowed, with its reason. */
    @AllowFinding(rule = "unbatched-dml", reason = "the table is a cache, empty is fine")
    public static class D2__ClearAll extends BaseDataMigration {

        @Override
        public void migrate(DataMigrationContext context) throws Exception {
            try (Statement statement = context.connection().createStatement()) {
                statement.execute("DELETE FROM t WHERE id > 0");
            }
        }
    }

    private List<Finding> findings(String before, String migration) throws IOException {
        try (Stream<Path> old = Files.list(this.folder)) {
            for (Path path : old.toList()) {
                Files.delete(path);
            }
        }
        script("V1__create.sql", before);
        script("V2__change.sql", migration);
        try (FreshDatabase database = TestPostgres.server().createDatabase()) {
            List<AppliedMigration> applied = migrator(database).migrate().schemaApplied();
            assertThat(applied).hasSize(2);
            return applied.get(1).findings();
        }
    }

    private Migrator migrator(FreshDatabase database) {
        return Migrator.configure(database.dataSource())
                .schemaLocations("filesystem:" + this.folder)
                .dataEnabled(false)
                .load();
    }

    private void script(String name, String sql) throws IOException {
        Files.writeString(this.folder.resolve(name), sql);
    }
}
