package dev.migrator.test.autoconfigure;

import dev.migrator.autoconfigure.MigratorCustomizer;
import dev.migrator.core.check.MigrationCheck;
import dev.migrator.core.data.DataMigration;
import java.util.Set;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.boot.test.context.filter.annotation.StandardAnnotationCustomizableTypeExcludeFilter;

/**
 * The component scan of {@link MigratorTest @MigratorTest}: migrations and what configures them, nothing else.
 */
final class MigratorTypeExcludeFilter extends StandardAnnotationCustomizableTypeExcludeFilter<MigratorTest> {

    private static final Set<Class<?>> DEFAULT_INCLUDES =
            Set.of(DataMigration.class, JavaMigration.class, MigrationCheck.class, MigratorCustomizer.class);

    MigratorTypeExcludeFilter(Class<?> testClass) {
        super(testClass);
    }

    @Override
    protected Set<Class<?>> getKnownIncludes() {
        return DEFAULT_INCLUDES;
    }
}
