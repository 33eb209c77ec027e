package dev.migrator.test.autoconfigure;

import dev.migrator.core.MigratorException;
import dev.migrator.test.autoconfigure.MigratorTest.Refresh;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Replaces the database under the context of an {@link AutoConfigureMigratorTest} test before each test class (or
 * method), drops it after, and makes a migration that fails while the context starts fail the test class with the
 * migration's own error rather than Spring's "Failed to load ApplicationContext". Does nothing for other tests.
 */
class MigratorTestExecutionListener extends AbstractTestExecutionListener {

    /** Before Spring's listeners that use the database: {@code @Sql} and transactions. */
    private static final int ORDER = 1100;

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public void beforeTestClass(TestContext testContext) {
        Class<?> testClass = testContext.getTestClass();
        Refresh refresh = refresh(testClass);
        if (refresh == null) {
            return;
        }
        ContextDatabase database = database(load(testContext));
        if (database != null) {
            database.beforeTestClass(testClass, refresh);
        }
    }

    @Override
    public void beforeTestMethod(TestContext testContext) {
        if (refresh(testContext.getTestClass()) == Refresh.PER_METHOD) {
            ContextDatabase database = database(testContext.getApplicationContext());
            if (database != null) {
                database.beforeTestMethod();
            }
        }
    }

    @Override
    public void afterTestClass(TestContext testContext) {
        Class<?> testClass = testContext.getTestClass();
        Refresh refresh = refresh(testClass);
        if (refresh == null || !testContext.hasApplicationContext()) {
            return;
        }
        ContextDatabase database = database(testContext.getApplicationContext());
        if (database != null) {
            database.afterTestClass(testClass, refresh);
        }
    }

    private static @Nullable Refresh refresh(Class<?> testClass) {
        MergedAnnotation<AutoConfigureMigratorTest> annotation = MergedAnnotations.search(SearchStrategy.TYPE_HIERARCHY)
                .withEnclosingClasses(TestContextAnnotationUtils::searchEnclosingClass)
                .from(testClass)
                .get(AutoConfigureMigratorTest.class);
        return annotation.isPresent() ? annotation.getEnum("refresh", Refresh.class) : null;
    }

    private static @Nullable ContextDatabase database(ApplicationContext context) {
        return context.getBeanProvider(ContextDatabase.class).getIfAvailable();
    }

    private static ApplicationContext load(TestContext testContext) {
        try {
            return testContext.getApplicationContext();
        } catch (IllegalStateException ex) {
            MigratorException migration = migrationFailure(ex);
            if (migration != null) {
                // The migration's message, not "Failed to load ApplicationContext for [...]".
                throw migration;
            }
            throw ex;
        }
    }

    private static @Nullable MigratorException migrationFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MigratorException migration) {
                return migration;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}
