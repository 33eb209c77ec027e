package dev.migrator.test.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.test.autoconfigure.TestSliceTestContextBootstrapper;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Bootstraps {@link MigratorTest @MigratorTest}: its properties, its targets as {@code migrator.*.target}, and the
 * settings a test database needs whatever the application says: migrator on, migrating at startup, into the test's
 * database rather than a separate {@code migrator.url}.
 */
class MigratorTestContextBootstrapper extends TestSliceTestContextBootstrapper<MigratorTest> {

    private static final List<String> FIXED = List.of(
            "migrator.enabled=true", "migrator.auto-run=true", "migrator.url=", "migrator.user=", "migrator.password=");

    @Override
    protected String @Nullable [] getProperties(Class<?> testClass) {
        MergedAnnotation<MigratorTest> annotation = MergedAnnotations.search(SearchStrategy.TYPE_HIERARCHY)
                .withEnclosingClasses(TestContextAnnotationUtils::searchEnclosingClass)
                .from(testClass)
                .get(MigratorTest.class);
        if (!annotation.isPresent()) {
            return null;
        }
        // The test's own properties last, so that they win.
        List<String> properties = new ArrayList<>(FIXED);
        String schemaTarget = annotation.getString("schemaTarget");
        if (!schemaTarget.isEmpty()) {
            properties.add("migrator.schema.target=" + schemaTarget);
        }
        if (annotation.getBoolean("checkUndo")) {
            properties.add(TemplateUndoCheck.CHECK + "=true");
        }
        if (annotation.getBoolean("checkEntities")) {
            properties.add(EntityCheck.CHECK + "=true");
        }
        String dataTarget = annotation.getString("dataTarget");
        if (!dataTarget.isEmpty()) {
            properties.add("migrator.data.target=" + dataTarget);
        }
        properties.addAll(List.of(annotation.getStringArray("properties")));
        return properties.toArray(String[]::new);
    }
}
