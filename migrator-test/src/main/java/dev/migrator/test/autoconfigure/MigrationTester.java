package dev.migrator.test.autoconfigure;

import dev.migrator.autoconfigure.generate.EntityComparison;
import dev.migrator.autoconfigure.generate.EntityModel;
import dev.migrator.core.MigrationEntry;
import dev.migrator.core.MigrationStatus;
import dev.migrator.core.Migrator;
import dev.migrator.core.RunOptions;
import dev.migrator.core.RunReport;
import dev.migrator.core.Track;
import dev.migrator.core.TrackStatus;
import dev.migrator.core.UndoReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs migrations of one track step by step in a test, on the test context's database, so that a test can seed rows
 * at the version before a migration, apply it, and assert what it did:
 *
 * <pre>{@code
 * @MigratorTest(dataTarget = "2")
 * @Transactional(propagation = Propagation.NOT_SUPPORTED)
 * class BackfillEmailDomainTests {
 *
 *     @Autowired
 *     MigrationTester migrations;
 *
 *     @Autowired
 *     JdbcClient jdbc;
 *
 *     @Test
 *     void fillsTheDomainOfExistingCustomers() {
 *         jdbc.sql("INSERT INTO customer (email, name) VALUES ('ada@Example.COM', 'Ada')").update();
 *
 *         migrations.applyNext(Track.DATA);
 *
 *         assertThat(jdbc.sql("SELECT email_domain FROM customer").query(String.class).single())
 *                 .isEqualTo("example.com");
 *     }
 * }
 * }</pre>
 *
 * <p>Migrations run as they do in production: on connections of their own, each in its own transaction (or none),
 * under migrator's lock. They cannot see rows that the test wrote in a transaction that is still open, and DDL would
 * wait for that transaction forever, so a method that calls the tester must not run in a test-managed transaction:
 * annotate it (or its class) with {@code @Transactional(propagation = Propagation.NOT_SUPPORTED)}; the tester fails
 * fast otherwise. Committing is safe: the next test class (or method, with
 * {@link MigratorTest.Refresh#PER_METHOD}) gets a fresh database at the targets again. The tester runs migrations
 * with the targets it is asked for, and answers status against the latest version of each track. No method accepts or
 * returns {@code null}.
 *
 * @since 0.1.0
 */
public final class MigrationTester {

    private static final RunOptions TO_LATEST =
            RunOptions.defaults().schemaTarget("latest").dataTarget("latest");

    private static final String CURRENT = "current";

    private final Supplier<Migrator> migrator;

    private final Supplier<@Nullable EntityModel> entities;

    MigrationTester(Supplier<Migrator> migrator) {
        this(migrator, () -> null);
    }

    MigrationTester(Supplier<Migrator> migrator, Supplier<@Nullable EntityModel> entities) {
        this.migrator = migrator;
        this.entities = entities;
    }

    /**
     * Creates a tester on a migrator and the application's entities, outside a {@code @MigratorTest} context.
     *
     * @param migrator the migrator, whose targets the tester replaces as needed
     * @param entities the entities, for {@link #assertEntitiesMatchMigrations()}
     * @return the tester
     * @since 0.4.0
     */
    public static MigrationTester of(Migrator migrator, EntityModel entities) {
        Objects.requireNonNull(migrator, "migrator");
        Objects.requireNonNull(entities, "entities");
        return new MigrationTester(() -> migrator, () -> entities);
    }

    /**
     * Asserts that the entities match the migrations: that Hibernate's schema update would change nothing in the
     * test's database, as the migrations left it (the {@code alembic check} of this stack). Migrate to the latest
     * versions first when the test starts at an earlier target. Hibernate compares tables, columns, indexes, unique
     * and foreign keys and sequences; not column types, nullability, defaults or check constraints.
     *
     * @throws AssertionError listing the statements Hibernate would still run, when the entities need a migration
     * @throws IllegalStateException when the context has no JPA entities (no Hibernate entity manager factory)
     * @since 0.4.0
     */
    public void assertEntitiesMatchMigrations() {
        EntityModel entities = this.entities.get();
        if (entities == null) {
            throw new IllegalStateException("There are no JPA entities to compare with the migrations: the context has"
                    + " no migrator EntityModel (Hibernate is not on the classpath, or the tester was made with"
                    + " MigrationTester.of(migrator)). Use @DataJpaTest or @SpringBootTest with"
                    + " @AutoConfigureMigratorTest, @MigratorTest(checkEntities = true), or MigrationTester.of(migrator,"
                    + " entityModel).");
        }
        Migrator migrator = this.migrator.get();
        EntityComparison comparison =
                entities.compareWith(migrator.dataSource(), migrator.settings().ownTables());
        if (!comparison.matches()) {
            throw new AssertionError("The entities do not match the migrations: Hibernate would still run on the"
                    + " migrated database (schema version "
                    + migrator.status().schema().current().orElse("none") + "):\n  "
                    + String.join(";\n  ", comparison.statements())
                    + ";\nWrite the next migration with --migrator.command=generate"
                    + " --migrator.generate.description=<what changed>, or change the entities back.");
        }
    }

    /**
     * Creates a tester on a migrator of your own, outside a {@code @MigratorTest} context.
     *
     * @param migrator the migrator, whose targets the tester replaces as needed
     * @return the tester
     */
    public static MigrationTester of(Migrator migrator) {
        Objects.requireNonNull(migrator, "migrator");
        return new MigrationTester(() -> migrator);
    }

    /**
     * Reads where the database stands against the latest version of each track: what is applied and everything that
     * is still pending, whatever targets the context was started with.
     *
     * @return the status
     */
    public MigrationStatus status() {
        return this.migrator.get().status(TO_LATEST);
    }

    /**
     * Reads where one track stands against its latest version.
     *
     * @param track the track
     * @return the status of that track
     */
    public TrackStatus status(Track track) {
        MigrationStatus status = status();
        return (track == Track.SCHEMA) ? status.schema() : status.data();
    }

    /**
     * Migrates one track up to a version, leaving the other track where it is.
     *
     * @param track the track to migrate
     * @param version the version to stop at, included; or {@code latest}
     * @return the report of the run
     * @throws dev.migrator.core.MigrationFailedException when a migration fails; its message names it
     * @throws IllegalStateException when called in a test-managed transaction
     */
    public RunReport migrateTo(Track track, String version) {
        Objects.requireNonNull(track, "track");
        Objects.requireNonNull(version, "version");
        requireNoTestTransaction();
        RunOptions options = (track == Track.SCHEMA)
                ? RunOptions.defaults().schemaTarget(version).dataTarget(CURRENT)
                : RunOptions.defaults().schemaTarget(CURRENT).dataTarget(version);
        return this.migrator.get().migrate(options);
    }

    /**
     * Migrates both tracks to their latest versions.
     *
     * @return the report of the run
     * @throws dev.migrator.core.MigrationFailedException when a migration fails
     * @throws IllegalStateException when called in a test-managed transaction
     */
    public RunReport migrateToLatest() {
        requireNoTestTransaction();
        return this.migrator.get().migrate(TO_LATEST);
    }

    /**
     * Applies the next pending versioned migration of one track, and nothing on the other track.
     *
     * @param track the track
     * @return the report of the run, with the one migration applied
     * @throws IllegalStateException when nothing versioned is pending on the track, when the next migration waits for
     *     a schema version (its reason is in the message), or when called in a test-managed transaction
     * @throws dev.migrator.core.MigrationFailedException when the migration fails
     */
    public RunReport applyNext(Track track) {
        Objects.requireNonNull(track, "track");
        requireNoTestTransaction();
        TrackStatus status = status(track);
        MigrationEntry next = status.pending().stream()
                .filter(entry -> entry.version().isPresent())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No versioned " + name(track)
                        + " migration is pending: the track is at "
                        + status.current().orElse("no version")
                        + ". Start the test at an earlier version, for example @MigratorTest("
                        + name(track) + "Target = \"...\")."));
        String version = next.version().orElseThrow();
        RunReport report = migrateTo(track, version);
        boolean applied = ((track == Track.SCHEMA) ? report.schemaApplied() : report.dataApplied())
                .stream().anyMatch(migration -> migration.migration().version().equals(next.version()));
        if (!applied) {
            throw new IllegalStateException("The next " + name(track) + " migration '" + next.displayName()
                    + "' did not run"
                    + next.reason().map(reason -> ": it " + reason).orElse("")
                    + ". Migrate the schema first, for example with migrateTo(Track.SCHEMA, \"latest\").");
        }
        return report;
    }

    /**
     * Undoes one track down to a version, leaving the other track where it is.
     *
     * @param track the track to undo
     * @param version the version to return to, {@code 0} for none
     * @return what was undone
     * @throws dev.migrator.core.MigratorException when the path cannot be undone (a migration on it
     *     without undo, for example) or an undo fails
     * @throws IllegalStateException when called in a test-managed transaction
     * @since 0.3.0
     */
    public UndoReport undoTo(Track track, String version) {
        Objects.requireNonNull(track, "track");
        Objects.requireNonNull(version, "version");
        requireNoTestTransaction();
        return this.migrator.get().undo(options(track, version));
    }

    /**
     * Asserts that every pending versioned migration with an undo can be undone and applied again:
     * applies the pending migrations one at a time, the schema track and then the data track, and for
     * each one that has an undo, undoes it, checks that the catalog (for a data migration, also the
     * rows of every table, the ones the test seeded included) is what it was before it, applies it
     * again and checks that the catalog is what it was after it (rows applied again may get new keys
     * from a sequence, or new times). A migration without undo is applied and skipped. Leaves both tracks at their
     * latest versions. Repeatable migrations run after the versions of a run and are not undone: for a
     * migration applied together with them, the state its undo must restore is the one its first undo
     * leaves, and it is undone and applied a second time against that.
     *
     * <p>Seed rows first to check that data migrations put them back: with {@code @MigratorTest(dataTarget = "0")},
     * the test starts before the first data migration.
     *
     * @return the migrations whose undo was checked, in order
     * @throws AssertionError naming the first migration whose undo did not restore the database, with
     *     the difference
     * @throws IllegalStateException when called in a test-managed transaction
     * @since 0.3.0
     */
    public List<MigrationEntry> assertReversible() {
        requireNoTestTransaction();
        Migrator migrator = this.migrator.get();
        List<MigrationEntry> checked = new ArrayList<>();
        for (Track track : List.of(Track.SCHEMA, Track.DATA)) {
            while (status(track).pending().stream()
                    .anyMatch(entry -> entry.version().isPresent())) {
                String before = status(track).current().orElse("0");
                boolean rows = track == Track.DATA;
                List<String> stateBefore = DatabaseState.of(migrator, rows);
                RunReport applied = applyNext(track);
                MigrationEntry migration = ((track == Track.SCHEMA) ? applied.schemaApplied() : applied.dataApplied())
                        .stream()
                                .map(dev.migrator.core.AppliedMigration::migration)
                                .filter(entry -> entry.version().isPresent())
                                .findFirst()
                                .orElseThrow();
                // Applied again, a data migration may give rows new keys and times: the catalog is compared then.
                List<String> stateAfter = DatabaseState.of(migrator, false);
                try {
                    migrator.undoPlan(options(track, before));
                } catch (dev.migrator.core.MigratorException ex) {
                    if (ex.code() == dev.migrator.core.ErrorCode.VALIDATION) {
                        // No undo (or declared irreversible): nothing to check for this one.
                        continue;
                    }
                    throw ex;
                }
                // Repeatable migrations that ran with it (they run after the versions of a run) are not undone
                // with it: the state without it is then the one its first undo leaves, checked by a second round.
                boolean repeatablesRan = ((track == Track.SCHEMA) ? applied.schemaApplied() : applied.dataApplied())
                        .stream().anyMatch(a -> a.migration().version().isEmpty());
                migrator.undo(options(track, before));
                List<String> stateUndone = DatabaseState.of(migrator, rows);
                if (!repeatablesRan) {
                    check(migration, "undone", stateBefore, stateUndone);
                }
                migrateTo(track, migration.version().orElseThrow());
                check(migration, "applied again", stateAfter, DatabaseState.of(migrator, false));
                if (repeatablesRan) {
                    migrator.undo(options(track, before));
                    check(migration, "undone", stateUndone, DatabaseState.of(migrator, rows));
                    migrateTo(track, migration.version().orElseThrow());
                    check(migration, "applied again", stateAfter, DatabaseState.of(migrator, false));
                }
                checked.add(migration);
            }
        }
        migrateToLatest();
        return checked;
    }

    private static void check(MigrationEntry migration, String what, List<String> expected, List<String> actual) {
        if (!expected.equals(actual)) {
            throw new AssertionError(name(migration) + " " + what + " does not leave the database as it was "
                    + ("undone".equals(what) ? "before it" : "after it") + " (- expected, + found):\n"
                    + DatabaseState.difference(expected, actual));
        }
    }

    private static String name(MigrationEntry migration) {
        return "Migration '" + migration.script() + "'";
    }

    /** Options that move one track to a version and leave the other where it is. */
    private static RunOptions options(Track track, String version) {
        return (track == Track.SCHEMA)
                ? RunOptions.defaults().schemaTarget(version).dataTarget("latest")
                : RunOptions.defaults().schemaTarget("latest").dataTarget(version);
    }

    private static String name(Track track) {
        return (track == Track.SCHEMA) ? "schema" : "data";
    }

    private static void requireNoTestTransaction() {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("MigrationTester was called inside a transaction, most likely the test's"
                    + " own (@MigratorTest is @Transactional). Migrations use connections of their own: they would not"
                    + " see the rows written in it, and DDL would wait for it forever. Annotate the test method or"
                    + " class with @Transactional(propagation = Propagation.NOT_SUPPORTED); the next test class gets a"
                    + " fresh database anyway.");
        }
    }
}
