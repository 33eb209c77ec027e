package dev.migrator.autoconfigure;

import dev.migrator.autoconfigure.operations.MigrationSets;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

/**
 * The beans of one kind (Java data migrations, Flyway Java migrations, checks, customizers) sorted
 * into migration sets by {@link MigrationSet}, read without creating the beans.
 */
final class MigrationSetMembers<T> {

    private final ListableBeanFactory beanFactory;

    private final Class<T> type;

    private final Map<String, List<String>> namesBySet = new LinkedHashMap<>();

    MigrationSetMembers(ListableBeanFactory beanFactory, Class<T> type, Collection<String> sets) {
        this.beanFactory = beanFactory;
        this.type = type;
        for (String name : beanFactory.getBeanNamesForType(type, true, false)) {
            MigrationSet set = beanFactory.findAnnotationOnBean(name, MigrationSet.class);
            String setName = (set != null) ? set.value() : MigrationSets.DEFAULT;
            if (!sets.contains(setName)) {
                throw new MigratorException(
                        ErrorCode.CONFIGURATION,
                        "Bean '" + name + "' (a " + type.getSimpleName() + ") is in migration set '" + setName
                                + "' (@MigrationSet), which is not declared.",
                        "Declare it with migrator.sets." + setName + ".* properties, or name one of "
                                + String.join(", ", sets) + ".",
                        null);
            }
            this.namesBySet.computeIfAbsent(setName, key -> new ArrayList<>()).add(name);
        }
    }

    /** Return the set's beans now, in order. */
    List<T> of(String set) {
        List<T> beans = new ArrayList<>();
        for (String name : this.namesBySet.getOrDefault(set, List.of())) {
            beans.add(this.beanFactory.getBean(name, this.type));
        }
        beans.sort(AnnotationAwareOrderComparator.INSTANCE);
        return beans;
    }

    /** Return the set's beans when asked: for beans that need the rest of the application first. */
    Supplier<List<T>> later(String set) {
        return () -> of(set);
    }
}
