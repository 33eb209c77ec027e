package dev.migrator.test.autoconfigure;

import dev.migrator.test.autoconfigure.MigratorTest.Refresh;
import dev.migrator.test.internal.DatabaseTemplates;
import dev.migrator.test.internal.PostgresServer;
import dev.migrator.test.internal.ServerAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * The database under one test context's {@code DataSource}, and when it is replaced.
 *
 * <p>When the context starts, the database is a clone of the complete template of its key or, when there is none yet,
 * the template itself, empty, for the context's own migrator to migrate as it would in production (Java data
 * migrations included, with the application beans they need). Once the context has started, the template is closed,
 * marked complete and cloned. From then on each test class (or method) that needs a fresh database gets a new clone,
 * and the clone it replaces is dropped: the context itself is never rebuilt.
 */
final class ContextDatabase implements ApplicationListener<ContextRefreshedEvent>, DisposableBean {

    private static final Logger logger = LoggerFactory.getLogger(ContextDatabase.class);

    private static final Duration BUILD_LOCK_TIMEOUT = Duration.ofMinutes(10);

    private final DatabaseTemplates templates;

    private final String template;

    private final TemplateKey key;

    private final Function<ServerAddress, DataSource> pools;

    private @Nullable DatabaseTemplates.Build build;

    private long buildStarted;

    private volatile @Nullable Database current;

    private @Nullable Class<?> owner;

    ContextDatabase(PostgresServer server, TemplateKey key, Function<ServerAddress, DataSource> pools) {
        this.templates = server.templates();
        this.template = DatabaseTemplates.templateName(key.hex());
        this.key = key;
        this.pools = pools;
        Optional<String> clone = this.templates.cloneIfComplete(this.template);
        if (clone.isEmpty()) {
            Optional<DatabaseTemplates.Build> build = this.templates.startBuild(this.template, BUILD_LOCK_TIMEOUT);
            if (build.isPresent()) {
                logger.info(
                        "Migrating template database {} on {} ({})",
                        this.template,
                        server.description(),
                        key.summary());
                this.build = build.get();
                this.buildStarted = System.nanoTime();
                this.current = open(this.template, false);
                return;
            }
            // Another JVM completed it while this one waited for the build lock.
            clone = Optional.of(this.templates.takeClone(this.template));
        }
        logger.debug("Test context starts on {}, a clone of template {}", clone.get(), this.template);
        this.current = open(clone.get(), true);
    }

    /**
     * Returns the data source of the current database.
     *
     * @return the data source
     * @throws IllegalStateException between two test classes, when the last database was dropped
     */
    DataSource dataSource() {
        Database database = this.current;
        if (database == null) {
            throw new IllegalStateException(
                    "This test context has no database right now: the one of the last test class"
                            + " was dropped and the next class has not started. Use the DataSource from a test, or from"
                            + " @BeforeAll or @AfterAll, not from a thread of its own that outlives the test class.");
        }
        return database.dataSource;
    }

    /**
     * Returns the data source of the current database, if there is one.
     *
     * @return the data source, {@code null} between two test classes
     */
    @Nullable
    DataSource currentDataSource() {
        Database database = this.current;
        return (database != null) ? database.dataSource : null;
    }

    /**
     * Returns the name of the current database.
     *
     * @return the name, empty between two test classes
     */
    Optional<String> databaseName() {
        Database database = this.current;
        return Optional.ofNullable(database).map(Database::name);
    }

    /**
     * Returns the name of the template database.
     *
     * @return the name
     */
    String templateName() {
        return this.template;
    }

    /**
     * Runs a check on a database of its own on the context's server, created empty and dropped after.
     *
     * @param check what to run, given the database's data source
     */
    void onScratchDatabase(java.util.function.Consumer<DataSource> check) {
        dev.migrator.test.internal.PostgresServer server = this.templates.server();
        String name = "migrator_check_" + java.util.UUID.randomUUID().toString().replace("-", "");
        server.execute("CREATE DATABASE " + name);
        try {
            check.accept(server.address(name).dataSource());
        } finally {
            server.drop(name);
        }
    }

    /** Returns whether the context is migrating the template now, rather than starting on a clone of it. */
    synchronized boolean building() {
        return this.build != null;
    }

    @Override
    public synchronized void onApplicationEvent(ContextRefreshedEvent event) {
        DatabaseTemplates.Build build = this.build;
        if (build == null) {
            return;
        }
        // No session may be connected to a template while it is cloned: close the pool first.
        close(this.current);
        this.current = null;
        build.complete();
        this.build = null;
        logger.info(
                "Migrated template database {} in {} ms",
                this.template,
                Duration.ofNanos(System.nanoTime() - this.buildStarted).toMillis());
        this.current = open(this.templates.takeClone(this.template), true);
    }

    /**
     * Prepares the database for a test class: a clone that nothing has used yet, unless the refresh mode is
     * {@link Refresh#NEVER}.
     *
     * @param testClass the test class
     * @param refresh its refresh mode
     * @throws IllegalStateException when another class uses this context's database at the same time
     */
    synchronized void beforeTestClass(Class<?> testClass, Refresh refresh) {
        if (refresh == Refresh.NEVER) {
            Database database = this.current;
            if (database == null) {
                database = open(this.templates.takeClone(this.template), true);
                this.current = database;
            }
            database.used = true;
            return;
        }
        Class<?> owner = this.owner;
        if (owner != null && encloses(owner, testClass)) {
            // A @Nested class shares the database of the class it is nested in.
            return;
        }
        if (owner != null) {
            throw new IllegalStateException(
                    "Test classes '" + owner.getName() + "' and '" + testClass.getName()
                            + "' share one application context and run at the same time, but a context has one database."
                            + " Run them one after the other (for example with @Execution(SAME_THREAD)), run them in separate"
                            + " JVMs (Surefire forkCount), or give one a context of its own (a property or @Import of its own).");
        }
        this.owner = testClass;
        useFresh();
    }

    /**
     * Prepares the database for a test method with {@link Refresh#PER_METHOD}: a clone that nothing has used yet.
     */
    synchronized void beforeTestMethod() {
        useFresh();
    }

    /**
     * Drops the database of a finished test class, unless the refresh mode is {@link Refresh#NEVER}.
     *
     * @param testClass the test class
     * @param refresh its refresh mode
     */
    synchronized void afterTestClass(Class<?> testClass, Refresh refresh) {
        if (refresh == Refresh.NEVER || testClass != this.owner) {
            return;
        }
        this.owner = null;
        Database used = this.current;
        this.current = null;
        dispose(used);
    }

    private static boolean encloses(Class<?> outer, Class<?> testClass) {
        for (Class<?> enclosing = testClass.getEnclosingClass();
                enclosing != null;
                enclosing = enclosing.getEnclosingClass()) {
            if (enclosing == outer) {
                return true;
            }
        }
        return false;
    }

    private void useFresh() {
        Database database = this.current;
        if (database == null || database.used) {
            Database used = database;
            // The new one first, so that the DataSource never points at a dropped database.
            database = open(this.templates.takeClone(this.template), true);
            this.current = database;
            dispose(used);
        }
        database.used = true;
    }

    @Override
    public synchronized void destroy() {
        Database database = this.current;
        this.current = null;
        DatabaseTemplates.Build build = this.build;
        if (build != null) {
            // The context failed to start, most likely in a migration: no half-migrated template may stay.
            close(database);
            this.build = null;
            build.close();
        } else {
            dispose(database);
        }
    }

    private Database open(String name, boolean clone) {
        return new Database(
                name, clone, this.pools.apply(this.templates.server().address(name)));
    }

    private void dispose(@Nullable Database database) {
        if (database != null) {
            close(database);
            if (database.clone) {
                this.templates.dropClone(database.name);
            }
        }
    }

    private static void close(@Nullable Database database) {
        if (database != null && database.dataSource instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ex) {
                logger.debug("Could not close the pool of {}", database.name, ex);
            }
        }
    }

    @Override
    public String toString() {
        return "test database " + databaseName().orElse("<none>") + " (template " + this.template + ", key "
                + this.key.hex().substring(0, 12) + ")";
    }

    private static final class Database {

        private final String name;

        private final boolean clone;

        private final DataSource dataSource;

        private boolean used;

        Database(String name, boolean clone, DataSource dataSource) {
            this.name = name;
            this.clone = clone;
            this.dataSource = dataSource;
        }

        String name() {
            return this.name;
        }
    }
}
