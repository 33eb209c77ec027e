package dev.migrator.test.postgres;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit Jupiter extension that gives each test class a {@link FreshDatabase} of its own on the {@link TestPostgres
 * test server}, injected into parameters of that type of constructors, lifecycle methods and test methods.
 *
 * <p>The database is created on first use and dropped when the class has finished; {@code @Nested} classes share the
 * database of their top-level class. Resolved parameters are never {@code null}.
 *
 * <pre>{@code
 * @ExtendWith(FreshDatabaseExtension.class)
 * class OrderRepositoryIntegrationTests {
 *
 *     @Test
 *     void savesOrders(FreshDatabase database) { ... }
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class FreshDatabaseExtension implements ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(FreshDatabaseExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == FreshDatabase.class;
    }

    @Override
    public FreshDatabase resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        // JUnit closes AutoCloseable store values, and so drops the database, when the class context closes.
        return topLevelClassContext(extensionContext)
                .getStore(NAMESPACE)
                .computeIfAbsent(
                        FreshDatabase.class, key -> TestPostgres.server().createDatabase(), FreshDatabase.class);
    }

    private static ExtensionContext topLevelClassContext(ExtensionContext context) {
        ExtensionContext parent = context.getParent().orElseThrow();
        return parent.equals(context.getRoot()) ? context : topLevelClassContext(parent);
    }
}
