package dev.migrator.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.migrator.core.data.BaseDataMigration;
import dev.migrator.core.data.DataMigration;
import dev.migrator.core.data.DataMigrationContext;
import dev.migrator.core.data.Irreversible;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Undo on a real PostgreSQL: both tracks return to their targets in the reverse order of
 * application, and migrating again gives the catalog, rows and history shape of never having
 * undone; a path that cannot be undone is refused before anything runs.
 */
class UndoIntegrationTests {

    /**
     * The user schema as a definition, not as storage: tables, columns, constraints, indexes and
     * views by name and definition (a relation created again has a new file, the same definition).
     */
    private static final String CATALOG = "SELECT concat_ws(E'\\n',"
            + " (SELECT string_agg(c.relname || ':' || c.relkind::text, ',' ORDER BY c.relname)"
            + "   FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace"
            + "   AND c.relname NOT LIKE 'flyway%' AND c.relname NOT LIKE 'migrator%'),"
            + " (SELECT string_agg(a.attrelid::regclass::text || '.' || a.attname || ':'"
            + "   || format_type(a.atttypid, a.atttypmod) || ':' || a.attnotnull::text || ':'"
            + "   || coalesce(pg_get_expr(d.adbin, d.adrelid), ''), ',' ORDER BY a.attrelid::regclass::text, a.attname)"
            + "   FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            + "   LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
            + "   WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'v') AND a.attnum > 0"
            + "   AND NOT a.attisdropped AND c.relname NOT LIKE 'flyway%' AND c.relname NOT LIKE 'migrator%'),"
            + " (SELECT string_agg(conname || ':' || pg_get_constraintdef(oid), ',' ORDER BY conname)"
            + "   FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conname NOT LIKE 'flyway%'"
            + "   AND conname NOT LIKE 'migrator%'),"
            + " (SELECT string_agg(indexdef, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public'"
            + "   AND tablename NOT LIKE 'flyway%' AND tablename NOT LIKE 'migrator%'),"
            + " (SELECT string_agg(viewname || ':' || definition, ',' ORDER BY viewname) FROM pg_views"
            + "   WHERE schemaname = 'public'))";

    private static final String ROWS = "SELECT concat_ws(E'\\n',"
            + " (SELECT string_agg(a::text, ',' ORDER BY a.id) FROM account a),"
            + " (SELECT string_agg(p::text, ',' ORDER BY p.id) FROM purchase p))";

    /** The shape of both histories: what ran, in which order, and whether it succeeded. */
    private static final String HISTORY = "SELECT concat_ws(E'\\n',"
            + " (SELECT string_agg(concat_ws(':', installed_rank, version, description, type, script, checksum,"
            + "   success), ',' ORDER BY installed_rank) FROM flyway_schema_history),"
            + " (SELECT string_agg(concat_ws(':', installed_rank, version, description, type, script, checksum,"
            + "   success), ',' ORDER BY installed_rank) FROM migrator_data_history))";

    @TempDir
    Path folder;

    private Path schema;

    private Path data;

    private FreshDatabase database;

    private JdbcTemplate jdbc;

    private final List<DataMigration> java = new ArrayList<>(List.of(new D3__Purchases()));

    @BeforeEach
    void writeTheSet() throws IOException {
        this.database = TestPostgres.server().createDatabase();
        this.jdbc = new JdbcTemplate(this.database.dataSource());
        this.schema = Files.createDirectories(this.folder.resolve("schema"));
        this.data = Files.createDirectories(this.folder.resolve("data"));
        schema("V1__create_account.sql", "CREATE TABLE account (id bigint PRIMARY KEY, email text NOT NULL);");
        schema("V2__add_status.sql", "ALTER TABLE account ADD COLUMN status text NOT NULL DEFAULT 'new';");
        schema("U2__add_status.sql", "ALTER TABLE account DROP COLUMN status;");
        schema("V3__index_email.sql", "CREATE UNIQUE INDEX account_email ON account (email);");
        schema("U3__index_email.sql", "DROP INDEX account_email;");
        schema(
                "V4__create_purchase.sql",
                "CREATE TABLE purchase (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES account,"
                        + " amount numeric(10, 2) CHECK (amount > 0));");
        schema("U4__create_purchase.sql", "DROP TABLE purchase;");
        schema("V5__index_purchase.sql", "CREATE INDEX CONCURRENTLY purchase_account ON purchase (account_id);");
        schema("U5__index_purchase.sql", "DROP INDEX CONCURRENTLY IF EXISTS purchase_account;");
        schema("R__account_emails.sql", "CREATE OR REPLACE VIEW account_emails AS SELECT id, email FROM account;");
        data(
                "D1__seed.sql",
                "INSERT INTO account (id, email) VALUES (1, 'ada@example.com'), (2, 'grace@example.com');");
        data("U1__seed.sql", "DELETE FROM account WHERE id IN (1, 2);");
        data("D2__activate.sql", "UPDATE account SET status = 'active' WHERE id = 1;");
        data("U2__activate.sql", "UPDATE account SET status = 'new' WHERE id = 1;");
    }

    @AfterEach
    void dropDatabase() {
        this.database.close();
    }

    @Test
    void undoingBothTracksAndMigratingAgainGivesWhatNeverUndoingGives() {
        migrator().migrate();
        String catalog = catalog();
        String rows = rows();
        String history = history();

        UndoReport report =
                migrator().undo(RunOptions.defaults().schemaTarget("1").dataTarget("0"));

        assertThat(report.undone())
                .extracting(step -> step.migration().script())
                .as("the reverse of the order of application: data after schema, so data first")
                .containsExactly(
                        D3__Purchases.class.getName(),
                        "D2__activate.sql",
                        "D1__seed.sql",
                        "V5__index_purchase.sql",
                        "V4__create_purchase.sql",
                        "V3__index_email.sql",
                        "V2__add_status.sql");
        assertThat(report.undone().get(3).transactional())
                .as("DROP INDEX CONCURRENTLY runs outside a transaction")
                .isFalse();
        assertThat(report.rerun()).extracting(MigrationEntry::script).containsExactly("R__account_emails.sql");
        assertThat(this.jdbc.queryForList(
                        "SELECT version FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank",
                        String.class))
                .containsExactly("1");
        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM migrator_data_history", Long.class))
                .isZero();
        assertThat(this.jdbc.queryForObject("SELECT to_regclass('purchase') IS NULL", Boolean.class))
                .isTrue();
        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM account", Long.class))
                .isZero();

        RunReport again = migrator().migrate();

        assertThat(again.schemaApplied())
                .extracting(a -> a.migration().script())
                .containsExactly(
                        "V2__add_status.sql",
                        "V3__index_email.sql",
                        "V4__create_purchase.sql",
                        "V5__index_purchase.sql",
                        "R__account_emails.sql");
        assertThat(catalog()).isEqualTo(catalog);
        assertThat(rows()).isEqualTo(rows);
        assertThat(history()).as("the same history shape").isEqualTo(history);
    }

    @Test
    void aTrackWithoutATargetIsLeftAsItIsAndNoTargetAtAllIsRefused() {
        migrator().migrate();
        String before = everything();

        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> migrator().undo(RunOptions.defaults()))
                .satisfies(ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.CONFIGURATION);
                    assertThat(ex.getMessage())
                            .contains("Undo needs the version each track returns to")
                            .contains("undo never undoes everything by default");
                });
        assertThat(everything()).isEqualTo(before);

        UndoReport report = migrator().undo(RunOptions.defaults().dataTarget("1"));

        assertThat(report.undone())
                .extracting(step -> step.track())
                .containsOnly(Track.DATA)
                .hasSize(2);
        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history", Long.class))
                .isEqualTo(6);
    }

    @Test
    void undoingTheSchemaAloneNamesTheDataMigrationsThatRanAfterItAndStayApplied() {
        migrator().migrate();
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(dev.migrator.core.internal.run.Undoer.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events =
                new ch.qos.logback.core.read.ListAppender<>();
        events.start();
        logger.addAppender(events);
        try {
            migrator().undo(RunOptions.defaults().schemaTarget("3"));
        } finally {
            logger.detachAppender(events);
        }

        assertThat(events.list)
                .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .anySatisfy(message -> assertThat(message)
                        .contains("Data migration(s) [D1__seed.sql, D2__activate.sql, " + D3__Purchases.class.getName()
                                + "] ran after schema migration V4__create_purchase.sql")
                        .contains("undo the data track too ('dataTarget')"));
        assertThat(this.jdbc.queryForObject("SELECT count(*) FROM migrator_data_history", Long.class))
                .as("the data track is left as it is")
                .isEqualTo(3);
    }

    @Test
    void aMigrationWithoutUndoOnThePathStopsTheUndoBeforeAnythingRuns() throws IOException {
        Files.delete(this.schema.resolve("U3__index_email.sql"));
        migrator().migrate();
        String before = everything();

        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> migrator().undo(RunOptions.defaults().schemaTarget("1")))
                .satisfies(ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.VALIDATION);
                    assertThat(ex.getMessage())
                            .contains("'V3__index_email.sql' has no undo script 'U3__index_email.sql'");
                });
        assertThat(everything()).as("V5 and V4 were not undone").isEqualTo(before);
        assertThat(migrator().undoPlan(RunOptions.defaults().schemaTarget("3")))
                .extracting(UndoStep::undo)
                .containsExactly("U5__index_purchase.sql", "U4__create_purchase.sql");
    }

    @Test
    void aMigrationAppliedOutOfOrderStopsTheUndo() throws IOException {
        Path v3 = this.schema.resolve("V3__index_email.sql");
        Path aside = Files.move(v3, this.folder.resolve("V3__index_email.sql"));
        migrator().migrate();
        Files.move(aside, v3);
        Migrator.configure(this.database.dataSource())
                .schemaLocations("filesystem:" + this.schema)
                .dataEnabled(false)
                .outOfOrder(true)
                .load()
                .migrate();
        String before = everything();

        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> migrator().undo(RunOptions.defaults().schemaTarget("2")))
                .satisfies(ex -> assertThat(ex.getMessage())
                        .contains("'V3__index_email.sql' (version 3) was applied out of order"));
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void aFailedNonTransactionalMigrationStopsTheUndo() throws IOException {
        migrator().migrate();
        schema("V6__broken_index.sql", "CREATE INDEX CONCURRENTLY purchase_missing ON purchase (missing);");
        schema("U6__broken_index.sql", "DROP INDEX CONCURRENTLY IF EXISTS purchase_missing;");
        assertThatExceptionOfType(MigrationFailedException.class)
                .isThrownBy(() -> migrator().migrate());
        String before = everything();

        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> migrator().undo(RunOptions.defaults().schemaTarget("4")))
                .satisfies(ex -> assertThat(ex.getMessage())
                        .contains("'V6__broken_index.sql' is recorded as failed")
                        .contains("Repair it first"));
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void anUndoScriptForARepeatableDataMigrationIsRefused() throws IOException {
        migrator().migrate();
        data("U__reseed.sql", "DELETE FROM account;");
        String before = everything();

        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> migrator().undo(RunOptions.defaults().dataTarget("0")))
                .satisfies(ex -> assertThat(ex.getMessage())
                        .contains("Undo script 'U__reseed.sql'")
                        .contains("has no version: a repeatable data migration has no undo"));
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void anUndoScriptForARepeatableSchemaMigrationIsRefused() throws IOException {
        migrator().migrate();
        schema("U__account_emails.sql", "DROP VIEW account_emails;");
        String before = everything();

        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> migrator().undo(RunOptions.defaults().schemaTarget("4")))
                .satisfies(ex -> assertThat(ex.getMessage())
                        .contains("Undo script 'U__account_emails.sql'")
                        .contains("has no version: a repeatable schema migration has no undo"));
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void aTargetBelowTheBaselineIsRefused() {
        // An existing database adopts migrator at version 2: what V1 and V2 build is there already.
        this.jdbc.execute(
                "CREATE TABLE account (id bigint PRIMARY KEY, email text NOT NULL, status text NOT NULL DEFAULT 'new')");
        Migrator.configure(this.database.dataSource())
                .schemaLocations("filesystem:" + this.schema)
                .dataLocations("filesystem:" + this.data)
                .dataMigrations(this.java)
                .baselineOnMigrate(true)
                .baselineVersion("2")
                .load()
                .migrate();
        String before = everything();

        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> migrator().undo(RunOptions.defaults().schemaTarget("1")))
                .satisfies(ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.CONFIGURATION);
                    assertThat(ex.getMessage()).contains("below the baseline at version '2'");
                });
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void anIrreversibleJavaMigrationStopsTheUndoWithItsReason() {
        this.java.set(0, new D3__Invoiced());
        RunReport report = migrator().migrate();
        assertThat(report.findings())
                .as("the missing undo of an irreversible migration is a decision, with its reason")
                .anySatisfy(finding -> {
                    assertThat(finding.rule()).isEqualTo(dev.migrator.core.analysis.Rule.MISSING_UNDO);
                    assertThat(finding.migration()).isEqualTo(D3__Invoiced.class.getName());
                    assertThat(finding.allowed()).contains("irreversible: purchases are invoiced by then");
                })
                .noneSatisfy(finding -> {
                    assertThat(finding.rule()).isEqualTo(dev.migrator.core.analysis.Rule.MISSING_UNDO);
                    assertThat(finding.migration()).isIn("V2__add_status.sql", "D1__seed.sql");
                });
        String before = everything();

        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> migrator().undo(RunOptions.defaults().dataTarget("1")))
                .satisfies(ex -> assertThat(ex.getMessage())
                        .contains("is declared irreversible: purchases are invoiced by then"));
        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void aFailingUndoStopsThereAndSaysWhatWasUndoneBeforeIt() throws IOException {
        migrator().migrate();
        schema("U4__create_purchase.sql", "DROP TABLE nowhere;");

        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> migrator().undo(RunOptions.defaults().schemaTarget("1")))
                .satisfies(ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.MIGRATION);
                    assertThat(ex.getMessage())
                            .contains("Undo of schema migration 'V4__create_purchase.sql' by 'U4__create_purchase.sql'"
                                    + " failed")
                            .contains("table \"nowhere\" does not exist")
                            .contains("Undone before it: [V5__index_purchase.sql]")
                            .contains("the migration is still applied");
                });
        assertThat(this.jdbc.queryForList(
                        "SELECT version FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank",
                        String.class))
                .containsExactly("1", "2", "3", "4");
        assertThat(this.jdbc.queryForObject("SELECT to_regclass('purchase') IS NOT NULL", Boolean.class))
                .isTrue();
    }

    @Test
    void aFailureAfterEveryUndoCommittedSaysWhatIsLeftToDo() {
        migrator().migrate();
        // Deleting the repeatable's row fails; deleting a versioned row does not.
        this.jdbc.execute("CREATE FUNCTION keep_repeatables() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN IF OLD.version IS NULL THEN RAISE EXCEPTION 'repeatable rows stay'; END IF;"
                + " RETURN OLD; END $$");
        this.jdbc.execute("CREATE TRIGGER keep_repeatables BEFORE DELETE ON flyway_schema_history"
                + " FOR EACH ROW EXECUTE FUNCTION keep_repeatables()");

        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> migrator().undo(RunOptions.defaults().schemaTarget("3")))
                .satisfies(ex -> assertThat(ex.getMessage())
                        .contains("Every migration was undone, but removing the history rows of the repeatable"
                                + " migrations to run again failed")
                        .contains("repeatable rows stay")
                        .contains("Undone before it: [V5__index_purchase.sql, V4__create_purchase.sql]")
                        .contains("[R__account_emails.sql]"));
        assertThat(this.jdbc.queryForList(
                        "SELECT coalesce(version, 'R') FROM flyway_schema_history ORDER BY installed_rank",
                        String.class))
                .containsExactly("1", "2", "3", "R");
    }

    @Test
    void theUndoOfADataMigrationClearsTheProgressOfItsBackfills() {
        migrator().migrate();
        this.jdbc.update("INSERT INTO migrator_data_history_progress (version, name, last_key, rows_done, batches)"
                + " VALUES ('2', 'account', '1', 1, 1)");

        migrator().undo(RunOptions.defaults().dataTarget("1"));

        assertThat(this.jdbc.queryForObject(
                        "SELECT count(*) FROM migrator_data_history_progress WHERE version = '2'", Long.class))
                .isZero();
        assertThat(this.jdbc.queryForObject("SELECT status FROM account WHERE id = 1", String.class))
                .isEqualTo("new");
    }

    @Test
    void anUndoAndAMigrateAtTheSameTimeNeverInterleave() throws Exception {
        migrator().migrate();
        String atFive = catalog();
        migrator().undo(RunOptions.defaults().schemaTarget("3").dataTarget("2"));
        String atThree = catalog();
        migrator().migrate();
        // A slow migration keeps the run busy while the undo asks for the lock.
        schema("V6__slow.sql", "SELECT pg_sleep(1); CREATE TABLE audit (id int);");
        schema("U6__slow.sql", "DROP TABLE audit;");
        Migrator first = migrator();
        Migrator second = migrator();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<RunReport> migrate = pool.submit(() -> first.migrate());
            Future<UndoReport> undo = pool.submit(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (second.lockHolder().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                return second.undo(RunOptions.defaults()
                        .schemaTarget("3")
                        .dataTarget("2")
                        .lockWaitTimeout(Duration.ofSeconds(30)));
            });
            migrate.get(60, TimeUnit.SECONDS);
            UndoReport undone = undo.get(60, TimeUnit.SECONDS);

            assertThat(undone.undone())
                    .extracting(step -> step.migration().script())
                    .as("planned again under the lock, after the migrate that held it: V6 is undone too")
                    .containsExactly(
                            "V6__slow.sql",
                            D3__Purchases.class.getName(),
                            "V5__index_purchase.sql",
                            "V4__create_purchase.sql");
        } finally {
            pool.shutdownNow();
        }
        assertThat(catalog()).isEqualTo(atThree).isNotEqualTo(atFive);
        assertThat(this.jdbc.queryForList(
                        "SELECT version FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank",
                        String.class))
                .containsExactly("1", "2", "3");
    }

    /** Adds a purchase for the first account; its undo removes it. */
    public static class D3__Purchases extends BaseDataMigration {

        @Override
        public void migrate(DataMigrationContext context) throws Exception {
            try (Statement statement = context.connection().createStatement()) {
                statement.execute("INSERT INTO purchase (id, account_id, amount) VALUES (10, 1, 9.99)");
            }
        }

        @Override
        public void undo(DataMigrationContext context) throws Exception {
            try (Statement statement = context.connection().createStatement()) {
                statement.execute("DELETE FROM purchase WHERE id = 10");
            }
        }
    }

    /** Like {@link D3__Purchases}, declared irreversible. */
    @Irreversible("purchases are invoiced by then")
    public static class D3__Invoiced extends BaseDataMigration {

        @Override
        public void migrate(DataMigrationContext context) throws Exception {
            try (Statement statement = context.connection().createStatement()) {
                statement.execute("INSERT INTO purchase (id, account_id, amount) VALUES (10, 1, 9.99)");
            }
        }
    }

    private Migrator migrator() {
        return Migrator.configure(this.database.dataSource())
                .schemaLocations("filesystem:" + this.schema)
                .dataLocations("filesystem:" + this.data)
                .dataMigrations(this.java)
                .load();
    }

    private String catalog() {
        return this.jdbc.queryForObject(CATALOG, String.class);
    }

    private String rows() {
        return this.jdbc.queryForObject(ROWS, String.class);
    }

    private String history() {
        return this.jdbc.queryForObject(HISTORY, String.class);
    }

    private String everything() {
        return catalog() + "\n"
                + this.jdbc.queryForObject("SELECT string_agg(a::text, ',' ORDER BY a.id) FROM account a", String.class)
                + "\n" + history();
    }

    private void schema(String name, String sql) throws IOException {
        Files.writeString(this.schema.resolve(name), sql);
    }

    private void data(String name, String sql) throws IOException {
        Files.writeString(this.data.resolve(name), sql);
    }
}
