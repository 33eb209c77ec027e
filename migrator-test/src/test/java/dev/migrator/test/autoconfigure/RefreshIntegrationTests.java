package dev.migrator.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.migrator.test.autoconfigure.MigratorTest.Refresh;
import dev.migrator.test.autoconfigure.example.Example;
import dev.migrator.test.postgres.TestPostgres;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Test classes that share one cached context each get a fresh database, commit what they like, never see each other's
 * rows, and leave no database behind but the template. The scenarios are nested classes that Surefire does not run on
 * its own; each test runs them with the JUnit Platform test kit, in this JVM and its context cache.
 */
class RefreshIntegrationTests {

    private static final Map<String, Observation> seen = new ConcurrentHashMap<>();

    private final JdbcTemplate admin = new JdbcTemplate(TestPostgres.server().adminDataSource());

    @BeforeEach
    void forget() {
        seen.clear();
    }

    @Test
    void classesSharingACachedContextNeverSeeEachOthersCommittedRows() {
        run(FirstWriter.class, SecondWriter.class);

        Observation first = seen.get("first");
        Observation second = seen.get("second");
        assertThat(second.context()).isSameAs(first.context());
        assertThat(second.database()).isNotEqualTo(first.database());
        assertThat(first.emails()).contains("first@example.com").doesNotContain("second@example.com");
        assertThat(second.emails()).contains("second@example.com").doesNotContain("first@example.com");
        assertThat(second.emails()).hasSize(Example.SEEDED_CUSTOMERS + 1);
    }

    @Test
    void databasesOfFinishedClassesAreDroppedAndOnlyTheTemplateStays() {
        run(FirstWriter.class, SecondWriter.class);

        List<String> databases = databases();
        assertThat(databases)
                .doesNotContain(seen.get("first").database(), seen.get("second").database());
        String template = seen.get("first").template();
        assertThat(databases).contains(template);
        assertThat(admin.queryForObject(
                        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = ?",
                        String.class,
                        template))
                .startsWith("migrator-test template complete");
        assertThat(admin.queryForObject(
                        "SELECT datallowconn FROM pg_database WHERE datname = ?", Boolean.class, template))
                .isFalse();
    }

    @Test
    void perMethodRefreshGivesEachMethodAFreshDatabase() {
        run(PerMethod.class);

        Observation first = seen.get("per-method-1");
        Observation second = seen.get("per-method-2");
        assertThat(second.database()).isNotEqualTo(first.database());
        assertThat(first.emails()).contains("per-method@example.com");
        assertThat(second.emails()).hasSize(Example.SEEDED_CUSTOMERS).doesNotContain("per-method@example.com");
        assertThat(databases()).doesNotContain(first.database(), second.database());
    }

    @Test
    void neverRefreshSharesOneDatabaseBetweenClasses() {
        run(NeverFirst.class, NeverSecond.class);

        Observation first = seen.get("never-first");
        Observation second = seen.get("never-second");
        assertThat(second.database()).isEqualTo(first.database());
        assertThat(second.emails()).contains("never@example.com");
    }

    @Test
    void nestedClassesShareTheDatabaseOfTheirEnclosingClass() {
        run(WithNested.class);

        Observation outer = seen.get("outer");
        Observation inner = seen.get("inner");
        assertThat(inner.database()).isEqualTo(outer.database());
        assertThat(inner.emails()).contains("outer@example.com");
    }

    @Test
    void nextClassAfterANeverClassGetsAFreshDatabase() {
        run(NeverFirst.class, FirstWriter.class);

        assertThat(seen.get("first").database())
                .isNotEqualTo(seen.get("never-first").database());
        assertThat(seen.get("first").emails()).doesNotContain("never@example.com");
    }

    /** Runs the classes one after the other, in this order. */
    private static void run(Class<?>... testClasses) {
        for (Class<?> testClass : testClasses) {
            EngineTestKit.engine("junit-jupiter")
                    .selectors(selectClass(testClass))
                    .execute()
                    .testEvents()
                    .assertStatistics(stats -> stats.failed(0).aborted(0).succeeded(testCount(testClass)));
        }
    }

    private static long testCount(Class<?> testClass) {
        long own = Arrays.stream(testClass.getDeclaredMethods())
                .filter(method -> method.isAnnotationPresent(Test.class))
                .count();
        return own
                + Arrays.stream(testClass.getDeclaredClasses())
                        .filter(nested -> nested.isAnnotationPresent(Nested.class))
                        .mapToLong(nested -> testCount(nested))
                        .sum();
    }

    private List<String> databases() {
        return admin.queryForList("SELECT datname FROM pg_database", String.class);
    }

    record Observation(ApplicationContext context, String database, String template, List<String> emails) {

        static Observation of(ApplicationContext context, JdbcClient jdbc) {
            return new Observation(
                    context,
                    jdbc.sql("SELECT current_database()").query(String.class).single(),
                    context.getBean(ContextDatabase.class).templateName(),
                    jdbc.sql("SELECT email FROM customer ORDER BY id")
                            .query(String.class)
                            .list());
        }
    }

    /** Commits its writes: what the slice must keep from other classes. */
    @MigratorTest
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    abstract static class Writer {

        @Autowired
        ApplicationContext context;

        @Autowired
        JdbcClient jdbc;

        void insertAndObserve(String name) {
            jdbc.sql("INSERT INTO customer (email, name) VALUES (?, ?)")
                    .params(name + "@example.com", name)
                    .update();
            seen.put(name, Observation.of(context, jdbc));
        }
    }

    static class FirstWriter extends Writer {

        @Test
        void commitsARow() {
            insertAndObserve("first");
        }
    }

    static class SecondWriter extends Writer {

        @Test
        void commitsARow() {
            insertAndObserve("second");
        }
    }

    @MigratorTest(refresh = Refresh.PER_METHOD)
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerMethod {

        @Autowired
        ApplicationContext context;

        @Autowired
        JdbcClient jdbc;

        @Test
        @Order(1)
        void commitsARow() {
            jdbc.sql("INSERT INTO customer (email, name) VALUES ('per-method@example.com', 'P')")
                    .update();
            seen.put("per-method-1", Observation.of(context, jdbc));
        }

        @Test
        @Order(2)
        void seesOnlyTheTemplate() {
            seen.put("per-method-2", Observation.of(context, jdbc));
        }
    }

    @MigratorTest(refresh = Refresh.NEVER)
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    static class NeverFirst {

        @Autowired
        ApplicationContext context;

        @Autowired
        JdbcClient jdbc;

        @Test
        void commitsARow() {
            jdbc.sql("INSERT INTO customer (email, name) VALUES ('never@example.com', 'N')")
                    .update();
            seen.put("never-first", Observation.of(context, jdbc));
        }
    }

    @MigratorTest(refresh = Refresh.NEVER)
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    static class NeverSecond {

        @Autowired
        ApplicationContext context;

        @Autowired
        JdbcClient jdbc;

        @Test
        void seesTheRowOfTheFirstClass() {
            seen.put("never-second", Observation.of(context, jdbc));
        }
    }

    @MigratorTest
    @Transactional(propagation = Propagation.NOT_SUPPORTED)
    static class WithNested {

        @Autowired
        ApplicationContext context;

        @Autowired
        JdbcClient jdbc;

        @Test
        void commitsARow() {
            jdbc.sql("INSERT INTO customer (email, name) VALUES ('outer@example.com', 'O')")
                    .update();
            seen.put("outer", Observation.of(context, jdbc));
        }

        @Nested
        class Inner {

            @Test
            void seesTheRowOfTheOuterClass() {
                seen.put("inner", Observation.of(context, jdbc));
            }
        }
    }
}
