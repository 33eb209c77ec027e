package dev.migrator.bench;

import dev.migrator.autoconfigure.MigratorAutoConfiguration;
import dev.migrator.core.Migrator;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Startup of a minimal non-web application whose database is already up to date: migrator's
 * auto-configuration against Spring Boot's own Flyway auto-configuration, on the same database and
 * the same Flyway history table.
 */
final class StartupBenchmark {

    private final TestPostgres server;

    private final PrintStream out;

    StartupBenchmark(TestPostgres server, PrintStream out) {
        this.server = server;
        this.out = out;
    }

    /** The application with migrator: its auto-configuration makes Boot's Flyway back off anyway. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, MigratorAutoConfiguration.class})
    static class MigratorApplication {}

    /** The same application with Spring Boot's Flyway auto-configuration instead. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class})
    static class BootFlywayApplication {}

    Result run(Path scripts, int migrations, int warmup, int rounds) throws IOException, SQLException {
        String location = MigrationScripts.write(scripts, "startup", migrations);
        try (FreshDatabase database = this.server.createDatabase()) {
            // Migrated once beforehand by plain Flyway: both contenders then find the same history.
            Flyway.configure()
                    .dataSource(database.dataSource())
                    .locations(location)
                    .load()
                    .migrate();
            long applied = countHistory(database.dataSource());
            if (applied != migrations) {
                throw new IllegalStateException(
                        "Expected " + migrations + " rows in flyway_schema_history after preparing, found " + applied);
            }
            Properties migratorProperties = properties(database, "migrator.schema.locations", location);
            Properties peerProperties = properties(database, "spring.flyway.locations", location);
            Samples migrator = new Samples();
            Samples peer = new Samples();
            for (int round = 1; round <= warmup + rounds; round++) {
                long migratorNanos;
                long peerNanos;
                // Alternate who goes first, so that neither always runs on a cooler or warmer server.
                if (round % 2 == 1) {
                    migratorNanos = start(MigratorApplication.class, migratorProperties);
                    peerNanos = start(BootFlywayApplication.class, peerProperties);
                } else {
                    peerNanos = start(BootFlywayApplication.class, peerProperties);
                    migratorNanos = start(MigratorApplication.class, migratorProperties);
                }
                boolean measured = round > warmup;
                if (measured) {
                    migrator.add(migratorNanos);
                    peer.add(peerNanos);
                }
                this.out.printf(
                        "  startup %s %d/%d: migrator %.0f ms, Boot Flyway %.0f ms%n",
                        measured ? "round" : "warm-up",
                        measured ? round - warmup : round,
                        measured ? rounds : warmup,
                        migratorNanos / 1e6,
                        peerNanos / 1e6);
            }
            long after = countHistory(database.dataSource());
            if (after != applied) {
                throw new IllegalStateException("A contender changed flyway_schema_history: " + applied
                        + " rows before, " + after + " after; the database was not up to date for one of them");
            }
            return Result.time(
                    String.format("Startup, %,d schema migrations already applied", migrations),
                    "Spring Boot FlywayAutoConfiguration",
                    migrator,
                    peer,
                    warmup,
                    1.00);
        }
    }

    /**
     * The properties of one contender: the data source, and the locations under its own name only, as
     * each kind of service sets them (migrator reads {@code spring.flyway.*} too, to adopt what a
     * service configured for Boot's Flyway, so that one would cost it work a migrator service never does).
     */
    private static Properties properties(FreshDatabase database, String locationsProperty, String location) {
        Properties properties = new Properties();
        properties.setProperty("spring.datasource.url", database.jdbcUrl());
        properties.setProperty("spring.datasource.username", database.username());
        properties.setProperty("spring.datasource.password", database.password());
        properties.setProperty(locationsProperty, location);
        return properties;
    }

    /** Start the application, return the nanoseconds from {@code run} to the ready context, and close it. */
    private static long start(Class<?> source, Properties properties) {
        SpringApplication application = new SpringApplication(source);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.setRegisterShutdownHook(false);
        application.setDefaultProperties(properties);
        System.gc();
        long start = System.nanoTime();
        ConfigurableApplicationContext context = application.run();
        long elapsed = System.nanoTime() - start;
        try (context) {
            checkContender(source, context);
        }
        return elapsed;
    }

    /** Make sure each application ran the migration path it stands for, and only that one. */
    private static void checkContender(Class<?> source, ConfigurableApplicationContext context) {
        int migrators = context.getBeanNamesForType(Migrator.class).length;
        int bootInitializers = context.getBeanNamesForType(FlywayMigrationInitializer.class).length;
        boolean expected = (source == MigratorApplication.class)
                ? migrators == 1 && bootInitializers == 0
                : migrators == 0 && bootInitializers == 1;
        if (!expected) {
            throw new IllegalStateException(source.getSimpleName() + " has " + migrators + " Migrator bean(s) and "
                    + bootInitializers + " FlywayMigrationInitializer bean(s)");
        }
    }

    private static long countHistory(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
