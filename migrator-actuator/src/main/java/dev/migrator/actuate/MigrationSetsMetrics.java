package dev.migrator.actuate;

import dev.migrator.autoconfigure.operations.MigrationRunEvent;
import dev.migrator.autoconfigure.operations.MigrationSets;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationListener;

/**
 * The {@link MigrationsMetrics} of the named migration sets (the default set's are a bean of their
 * own), each tagged with its set.
 *
 * @since 0.1.0
 */
public class MigrationSetsMetrics
        implements ApplicationListener<MigrationRunEvent>, SmartInitializingSingleton, DisposableBean {

    private final List<MigrationsMetrics> metrics;

    /**
     * Create and register the metrics of every named set.
     *
     * @param sets the migration sets
     * @param registry where the meters go
     */
    public MigrationSetsMetrics(MigrationSets sets, MeterRegistry registry) {
        this.metrics = sets.all().stream()
                .skip(1)
                .map((MigratorOperations set) -> new MigrationsMetrics(set, registry))
                .toList();
    }

    @Override
    public void onApplicationEvent(MigrationRunEvent event) {
        this.metrics.forEach(metrics -> metrics.onApplicationEvent(event));
    }

    @Override
    public void afterSingletonsInstantiated() {
        this.metrics.forEach(MigrationsMetrics::afterSingletonsInstantiated);
    }

    @Override
    public void destroy() {
        this.metrics.forEach(MigrationsMetrics::destroy);
    }
}
