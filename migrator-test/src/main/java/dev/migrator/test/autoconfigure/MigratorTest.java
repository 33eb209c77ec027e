package dev.migrator.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.OverrideAutoConfiguration;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.junit.jupiter.SpringExtension;
import org.springframework.transaction.annotation.Transactional;

/**
 * Annotation for a test of code that uses the database, in a context that holds only the {@code DataSource}, JDBC
 * ({@code JdbcTemplate}, {@code JdbcClient}), transactions and migrator, on a fresh PostgreSQL database that is
 * already migrated to the targets.
 *
 * <p>Like {@code @JdbcTest}, it disables full auto-configuration and component scanning except for migrations:
 * {@code DataMigration}, Flyway {@code JavaMigration}, {@code MigrationCheck} and {@code MigratorCustomizer} beans are
 * included, so that the database gets every migration it gets in production. Anything those beans need, and the
 * test's own beans, come in with {@code @Import}. Each test method runs in a transaction rolled back at its end,
 * unless the test says otherwise ({@code @Transactional(propagation = NOT_SUPPORTED)}, {@code @Commit}).
 *
 * <p>The database: the migrations run once into a template database, keyed by a hash of every migration (see
 * {@link AutoConfigureMigratorTest}), and each test class gets its own clone of it. The application context stays in
 * Spring's context cache and is reused by the next class with the same configuration; only the database under its
 * {@code DataSource} is replaced, so classes never see each other's rows even when they commit. The database server
 * is the first of: {@code migrator.test.url} or the environment variable {@code MIGRATOR_TEST_JDBC_URL}; a
 * {@code @ServiceConnection} PostgreSQL container the test declares; a Testcontainers PostgreSQL when Docker is
 * available; an embedded PostgreSQL 17.
 *
 * <pre>{@code
 * @MigratorTest
 * class CustomerQueriesTests {
 *
 *     @Autowired
 *     JdbcClient jdbc;
 *
 *     @Test
 *     void findsCustomersByDomain() { ... }
 * }
 * }</pre>
 *
 * @since 0.1.0
 * @see MigrationTester
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(MigratorTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@OverrideAutoConfiguration(enabled = false)
@TypeExcludeFilters(MigratorTypeExcludeFilter.class)
@Transactional
@AutoConfigureMigratorTest
@ImportAutoConfiguration
public @interface MigratorTest {

    /**
     * Properties in the form {@code key=value} added to the environment before the test runs.
     *
     * @return the properties to add
     */
    String[] properties() default {};

    /**
     * Schema version that the database is migrated to ({@code migrator.schema.target}), for example {@code 5} to
     * test code against the schema before version 6; empty for the configured target (by default the latest).
     *
     * @return the schema target, or empty
     */
    String schemaTarget() default "";

    /**
     * Data version that the database is migrated to ({@code migrator.data.target}), for example {@code 2} to seed
     * rows before the data migration 3 runs and then run it with {@link MigrationTester}; empty for the configured
     * target (by default the latest).
     *
     * @return the data target, or empty
     */
    String dataTarget() default "";

    /**
     * Whether building the template also checks every migration with an undo: on a scratch database of the same
     * server, each is applied, undone and applied again, and the catalog (for a data migration, also the rows) must
     * be what it was ({@link MigrationTester#assertReversible()}). A failure fails the template build, naming the
     * migration and the difference. Off by default: it applies the set twice more, once per template.
     *
     * @return whether to check the undo scripts
     * @since 0.3.0
     */
    boolean checkUndo() default false;

    /**
     * Whether the context checks that the JPA entities match the migrated database
     * ({@link MigrationTester#assertEntitiesMatchMigrations()}), once it is ready: a failure fails the test class,
     * listing the statements Hibernate would still run. Brings Hibernate's JPA auto-configuration into the slice.
     *
     * @return whether to check the entities
     * @since 0.4.0
     */
    boolean checkEntities() default false;

    /**
     * When the database under the context is replaced with a fresh clone.
     *
     * @return the refresh mode, {@link Refresh#PER_CLASS} by default
     */
    @AliasFor(annotation = AutoConfigureMigratorTest.class)
    Refresh refresh() default Refresh.PER_CLASS;

    /**
     * Whether the default filtering of {@code @SpringBootApplication} component scanning is used: when true, only
     * migrations are included (see the class comment).
     *
     * @return whether to use the default filters
     */
    boolean useDefaultFilters() default true;

    /**
     * Include filters that add otherwise filtered beans to the context.
     *
     * @return the include filters
     */
    ComponentScan.Filter[] includeFilters() default {};

    /**
     * Exclude filters that remove beans from the context, for example a Java data migration that this test does not
     * want.
     *
     * @return the exclude filters
     */
    ComponentScan.Filter[] excludeFilters() default {};

    /**
     * Auto-configurations excluded for this test.
     *
     * @return the excluded auto-configurations
     */
    @AliasFor(annotation = ImportAutoConfiguration.class, attribute = "exclude")
    Class<?>[] excludeAutoConfiguration() default {};

    /**
     * When the database under a test context is replaced with a fresh clone of the template.
     *
     * @since 0.1.0
     */
    enum Refresh {

        /**
         * Before each test class (the default): the methods of a class share one database, and no other class sees
         * its writes. {@code @Nested} classes share the database of the class they are nested in.
         */
        PER_CLASS,

        /**
         * Before each test method as well: every method starts from the template, committed writes of the one before
         * included. Data set up in {@code @BeforeAll} is not seen by the methods; set it up in {@code @BeforeEach}.
         */
        PER_METHOD,

        /**
         * Never: the context keeps one database for its whole life, and test classes that share the context see each
         * other's committed writes.
         */
        NEVER
    }
}
