package dev.migrator.core.internal.schema;

import dev.migrator.core.MigratorSettings;
import dev.migrator.core.internal.resource.ResourceScanner;
import dev.migrator.core.internal.timeout.BlockerProbe;
import dev.migrator.core.internal.timeout.SessionTimeouts;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.jspecify.annotations.Nullable;

/**
 * The Flyway instance of the schema track, with what migrator adds to every run: the fencing check
 * before each migration.
 *
 * @param flyway the configured Flyway instance
 * @param fence the callback that checks the fencing token
 * @param timeouts the callback that sets each migration's session timeouts
 * @param analysis the callback that observes each migration for the change analysis, when it is on
 * @param scanner what reads the SQL scripts of the schema locations
 * @param scriptLocations the schema locations, as configured
 * @param runScoped whether runs use {@link RunScopedPostgres}: Flyway's session lock is on
 */
public record SchemaFlyway(
        Flyway flyway,
        FenceCallback fence,
        TimeoutCallback timeouts,
        @Nullable AnalysisCallback analysis,
        ResourceScanner scanner,
        List<String> scriptLocations,
        boolean runScoped) {

    /** Return the texts of the scripts for one run, read when first asked for. */
    ScriptTexts scriptTexts() {
        return new ScriptTexts(this.scanner, this.scriptLocations);
    }

    /**
     * Create the Flyway instance: migrator's settings first, then the customizers in order, so that a
     * customizer may override any of them; migrator's callbacks are added after the customizers'
     * (Flyway runs callbacks in the order of their names, not in the order given).
     *
     * @param dataSource where to migrate
     * @param classLoader what finds {@code classpath:} migrations
     * @param settings the settings
     * @param javaMigrations Flyway Java migrations
     * @param customizers customizers of the Flyway configuration
     * @param timeouts the session timeouts of migrations
     * @param probe what samples the sessions blocking a migration
     * @return the Flyway instance and migrator's parts of it
     */
    public static SchemaFlyway create(
            DataSource dataSource,
            ClassLoader classLoader,
            MigratorSettings settings,
            List<JavaMigration> javaMigrations,
            List<Consumer<FluentConfiguration>> customizers,
            SessionTimeouts timeouts,
            BlockerProbe probe) {
        FluentConfiguration configuration = Flyway.configure(classLoader)
                .dataSource(dataSource)
                .locations(settings.schemaLocations().toArray(String[]::new))
                .table(settings.schemaTable())
                .target(settings.schemaTarget())
                .baselineOnMigrate(settings.baselineOnMigrate())
                .baselineVersion(settings.baselineVersion())
                .placeholders(settings.placeholders())
                .outOfOrder(settings.outOfOrder())
                .javaMigrations(javaMigrations.toArray(JavaMigration[]::new));
        if (!settings.schemas().isEmpty()) {
            configuration.schemas(settings.schemas().toArray(String[]::new));
        }
        PostgreSQLConfigurationExtension postgresql =
                configuration.getPluginRegister().getExact(PostgreSQLConfigurationExtension.class);
        if (postgresql != null) {
            postgresql.setTransactionalLock(settings.postgresqlTransactionalLock());
        }
        customizers.forEach(customizer -> customizer.accept(configuration));
        boolean transactionalLock = postgresql != null && postgresql.isTransactionalLock();
        FenceCallback fence = new FenceCallback(transactionalLock);
        TimeoutCallback timeoutCallback = new TimeoutCallback(timeouts, probe, configuration.getTable());
        AnalysisCallback analysis =
                settings.analysis() ? new AnalysisCallback(classLoader, configuration.isGroup()) : null;
        Stream<Callback> ours = Stream.of(fence, timeoutCallback, analysis, RunScopedPostgres.dispatches())
                .filter(Objects::nonNull);
        configuration.callbacks(
                Stream.concat(Arrays.stream(configuration.getCallbacks()), ours).toArray(Callback[]::new));
        return new SchemaFlyway(
                configuration.load(),
                fence,
                timeoutCallback,
                analysis,
                new ResourceScanner(classLoader),
                List.copyOf(settings.schemaLocations()),
                postgresql != null && !transactionalLock);
    }
}
