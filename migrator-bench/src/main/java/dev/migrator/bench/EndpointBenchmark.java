package dev.migrator.bench;

import dev.migrator.actuate.MigrationsEndpoint;
import dev.migrator.actuate.MigratorActuatorAutoConfiguration;
import dev.migrator.autoconfigure.MigratorAutoConfiguration;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import dev.migrator.core.Migrator;
import dev.migrator.core.RunReport;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.flyway.actuate.endpoint.FlywayEndpoint;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /actuator/migrations} of a web application whose database has many schema and data
 * migrations applied, against Spring Boot's {@code GET /actuator/flyway} of the same web application
 * with Boot's Flyway auto-configuration instead, on the same schema migrations. Both applications run
 * side by side in this JVM, each on its own database migrated beforehand, and answer requests sent one
 * at a time over a kept-alive HTTP/1.1 connection.
 */
final class EndpointBenchmark {

    private static final String MIGRATIONS = "/actuator/migrations";

    private static final String FLYWAY = "/actuator/flyway";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final TestPostgres server;

    private final PrintStream out;

    private final JsonMapper json = JsonMapper.builder().build();

    EndpointBenchmark(TestPostgres server, PrintStream out) {
        this.server = server;
        this.out = out;
    }

    /**
     * The web application with migrator and its actuator support, with everything else on the class
     * path as any application gets it; Boot's Flyway auto-configuration backs off for migrator's
     * {@code Flyway} bean.
     */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class MigratorWebApplication {}

    /** The same web application with Spring Boot's Flyway auto-configuration and endpoint instead. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration(exclude = {MigratorAutoConfiguration.class, MigratorActuatorAutoConfiguration.class})
    static class BootFlywayWebApplication {}

    Result run(Path scripts, int migrations, int warmup, int rounds, int requests) throws IOException {
        String schema = MigrationScripts.write(scripts, "endpoint-schema", migrations);
        String data = writeDataMigrations(scripts.resolve("endpoint-data"), migrations);
        try (FreshDatabase migratorDatabase = this.server.createDatabase();
                FreshDatabase flywayDatabase = this.server.createDatabase()) {
            migrate(migratorDatabase, flywayDatabase, schema, data, migrations);
            try (ConfigurableApplicationContext migratorApplication = start(
                            MigratorWebApplication.class, properties(migratorDatabase, schema, data, "migrations"));
                    ConfigurableApplicationContext flywayApplication =
                            start(BootFlywayWebApplication.class, properties(flywayDatabase, schema, data, "flyway"))) {
                checkContenders(migratorApplication, flywayApplication);
                Client migratorClient =
                        new Client(migratorApplication, MIGRATIONS, body -> checkMigrations(body, migrations));
                Client flywayClient = new Client(flywayApplication, FLYWAY, body -> checkFlyway(body, migrations));
                return measure(migratorClient, flywayClient, migrations, warmup, rounds, requests);
            }
        }
    }

    private Result measure(
            Client migratorClient, Client flywayClient, int migrations, int warmup, int rounds, int requests) {
        long start = System.nanoTime();
        for (int i = 0; i < warmup; i++) {
            migratorClient.get();
            flywayClient.get();
        }
        this.out.printf(
                "  endpoint warm-up: %,d requests each in %.0f ms%n", warmup, (System.nanoTime() - start) / 1e6);
        Samples migrator = new Samples();
        Samples peer = new Samples();
        List<String> roundMedians = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Samples migratorRound = new Samples();
            Samples peerRound = new Samples();
            System.gc();
            // Alternate who goes first, so that neither always runs right after a collection.
            if (round % 2 == 1) {
                migratorClient.measure(requests, migratorRound, migrator);
                flywayClient.measure(requests, peerRound, peer);
            } else {
                flywayClient.measure(requests, peerRound, peer);
                migratorClient.measure(requests, migratorRound, migrator);
            }
            roundMedians.add(Samples.format(migratorRound.median()) + "/" + Samples.format(peerRound.median()));
            this.out.printf(
                    "  endpoint round %d/%d: median of %d requests: migrator %s ms, Boot Flyway %s ms%n",
                    round,
                    rounds,
                    requests,
                    Samples.format(migratorRound.median()),
                    Samples.format(peerRound.median()));
        }
        List<String> notes = new ArrayList<>();
        notes.add(String.format(
                "Endpoint: per request p95 migrator %s ms, peer %s ms (ratio %.3f); medians per round (migrator/peer)"
                        + " %s ms; answers of %,d bytes (migrator) and %,d bytes (peer), each checked and then"
                        + " compared byte for byte with every later one.",
                Samples.format(migrator.percentile(95)),
                Samples.format(peer.percentile(95)),
                migrator.percentile(95) / peer.percentile(95),
                String.join(", ", roundMedians),
                migratorClient.bodyBytes(),
                flywayClient.bodyBytes()));
        long breakdownStart = System.nanoTime();
        notes.add(breakdown(
                migratorClient.application(), flywayClient.application(), requests, migrator.median(), peer.median()));
        this.out.printf("  endpoint: breakdown in process in %.0f ms%n", (System.nanoTime() - breakdownStart) / 1e6);
        return new Result(
                String.format(
                        "GET /actuator/migrations, %,d schema + %,d data migrations applied, per request",
                        migrations, migrations),
                String.format("Spring Boot's GET /actuator/flyway, the same %,d schema migrations", migrations),
                migrator,
                peer,
                warmup,
                "request",
                Result.Comparison.TIME,
                0.5,
                notes);
    }

    /**
     * Where each endpoint's time goes, measured in process on the beans behind the two endpoints, one
     * call of each in turn per iteration. Parts that cannot be called alone are the differences of
     * calls within the same iteration; what a request costs beyond the endpoint method and its JSON is
     * Tomcat, Spring MVC and the HTTP client.
     */
    private static String breakdown(
            ConfigurableApplicationContext migratorApplication,
            ConfigurableApplicationContext flywayApplication,
            int calls,
            double migratorRequest,
            double peerRequest) {
        Migrator migrator = migratorApplication.getBean(Migrator.class);
        MigratorOperations operations = migratorApplication.getBean(MigratorOperations.class);
        MigrationsEndpoint endpoint = migratorApplication.getBean(MigrationsEndpoint.class);
        JsonMapper json = migratorApplication.getBean(EndpointJsonMapper.class).get();
        Object body = endpoint.migrations();
        Flyway peerFlyway = flywayApplication.getBean(Flyway.class);
        FlywayEndpoint peerEndpoint = flywayApplication.getBean(FlywayEndpoint.class);
        JsonMapper peerJson =
                flywayApplication.getBean(EndpointJsonMapper.class).get();
        Object peerBody = peerEndpoint.flywayBeans();
        Samples info = new Samples();
        Samples status = new Samples();
        Samples lock = new Samples();
        Samples checks = new Samples();
        Samples rest = new Samples();
        Samples total = new Samples();
        Samples writing = new Samples();
        Samples peerInfo = new Samples();
        Samples peerRest = new Samples();
        Samples peerTotal = new Samples();
        Samples peerWriting = new Samples();
        System.gc();
        for (int i = 0; i < calls; i++) {
            long infoNanos = nanos(() -> migrator.flyway().info().all());
            long statusNanos = nanos(migrator::status);
            long lockNanos = nanos(migrator::lockHolder);
            long checksNanos = nanos(operations::checks);
            long totalNanos = nanos(endpoint::migrations);
            long writingNanos = nanos(() -> json.writeValueAsBytes(body));
            long peerInfoNanos = nanos(() -> peerFlyway.info().all());
            long peerTotalNanos = nanos(peerEndpoint::flywayBeans);
            long peerWritingNanos = nanos(() -> peerJson.writeValueAsBytes(peerBody));
            info.add(infoNanos);
            status.add(statusNanos);
            lock.add(lockNanos);
            checks.add(checksNanos);
            rest.add(totalNanos - statusNanos - lockNanos - checksNanos);
            total.add(totalNanos);
            writing.add(writingNanos);
            peerInfo.add(peerInfoNanos);
            peerRest.add(peerTotalNanos - peerInfoNanos);
            peerTotal.add(peerTotalNanos);
            peerWriting.add(peerWritingNanos);
        }
        return String.format(
                "Endpoint, where the time goes (in process on the beans behind each endpoint, median of %,d calls"
                        + " each, one of each in turn; parts in brackets are differences within a turn, within the noise of"
                        + " info() when near zero, even below): migrator's"
                        + " MigrationsEndpoint.migrations() %s ms = status() %s ms (kept while one query's stamp of the"
                        + " history tables is unchanged; computed again after a change, it costs a Flyway info() of %s"
                        + " ms and the data track's read) + lockHolder() %s ms + checks() %s ms (kept since the"
                        + " last run) + [the rest of describe(): status, masking %s ms]; its JSON %s ms. Boot's"
                        + " FlywayEndpoint.flywayBeans() %s ms = Flyway info() %s ms + [descriptors %s ms]; its JSON"
                        + " %s ms. The request medians beyond the method and its JSON (Tomcat, Spring MVC, HTTP"
                        + " client): migrator %s ms, peer %s ms.",
                calls,
                Samples.format(total.median()),
                Samples.format(status.median()),
                Samples.format(info.median()),
                Samples.format(lock.median()),
                Samples.format(checks.median()),
                Samples.format(rest.median()),
                Samples.format(writing.median()),
                Samples.format(peerTotal.median()),
                Samples.format(peerInfo.median()),
                Samples.format(peerRest.median()),
                Samples.format(peerWriting.median()),
                Samples.format(migratorRequest - total.median() - writing.median()),
                Samples.format(peerRequest - peerTotal.median() - peerWriting.median()));
    }

    private static long nanos(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return System.nanoTime() - start;
    }

    /**
     * Migrate both databases beforehand: migrator's with both tracks, the peer's with plain Flyway, so
     * both applications start on a database that is up to date.
     */
    private void migrate(
            FreshDatabase migratorDatabase, FreshDatabase flywayDatabase, String schema, String data, int migrations) {
        long start = System.nanoTime();
        RunReport report = Migrator.configure(migratorDatabase.dataSource())
                .schemaLocations(schema)
                .dataLocations(data)
                .load()
                .migrate();
        check("migrator's schema track", report.schemaApplied().size(), migrations);
        check("migrator's data track", report.dataApplied().size(), migrations);
        MigrateResult result = Flyway.configure()
                .dataSource(flywayDatabase.dataSource())
                .locations(schema)
                .load()
                .migrate();
        check("Flyway", result.migrationsExecuted, migrations);
        this.out.printf("  endpoint: databases migrated beforehand in %.0f ms%n", (System.nanoTime() - start) / 1e6);
    }

    private static void check(String contender, int applied, int expected) {
        if (applied != expected) {
            throw new IllegalStateException(
                    contender + " applied " + applied + " migrations to an empty database, expected " + expected);
        }
    }

    /**
     * Write {@code count} small data migrations {@code D1} to {@code D<count>} over the tables of
     * {@link MigrationScripts}, which has as many schema migrations create and fill them.
     */
    private static String writeDataMigrations(Path directory, int count) throws IOException {
        Files.createDirectories(directory);
        int tables = (count + 3) / 4;
        for (int version = 1; version <= count; version++) {
            String table = "item_" + ((version - 1) % tables + 1);
            String description;
            String sql;
            switch (version % 4) {
                case 1 -> {
                    description = "add_item_to_" + table;
                    sql = "INSERT INTO " + table + " (name) VALUES ('added by D" + version + "');\n";
                }
                case 2 -> {
                    description = "rename_first_of_" + table;
                    sql = "UPDATE " + table + " SET name = 'first (renamed)' WHERE name = 'first';\n";
                }
                case 3 -> {
                    description = "copy_second_of_" + table;
                    sql = "INSERT INTO " + table + " (name) SELECT name || ' (copy)' FROM " + table
                            + " WHERE name = 'second';\n";
                }
                default -> {
                    description = "remove_third_of_" + table;
                    sql = "DELETE FROM " + table + " WHERE name = 'third';\n";
                }
            }
            Files.writeString(
                    directory.resolve("D" + version + "__" + description + ".sql"), sql, StandardCharsets.UTF_8);
        }
        return "filesystem:" + directory.toAbsolutePath();
    }

    private static Properties properties(FreshDatabase database, String schema, String data, String endpoint) {
        Properties properties = new Properties();
        properties.setProperty("spring.datasource.url", database.jdbcUrl());
        properties.setProperty("spring.datasource.username", database.username());
        properties.setProperty("spring.datasource.password", database.password());
        properties.setProperty("server.port", "0");
        properties.setProperty("management.endpoints.web.exposure.include", endpoint);
        // Each contender's own: migrator would also adopt spring.flyway.locations.
        if (endpoint.equals("migrations")) {
            properties.setProperty("migrator.schema.locations", schema);
            properties.setProperty("migrator.data.locations", data);
        } else {
            properties.setProperty("spring.flyway.locations", schema);
        }
        return properties;
    }

    private static ConfigurableApplicationContext start(Class<?> source, Properties properties) {
        SpringApplication application = new SpringApplication(source);
        application.setWebApplicationType(WebApplicationType.SERVLET);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.setRegisterShutdownHook(false);
        application.setDefaultProperties(properties);
        return application.run();
    }

    /** Make sure each application has the endpoint it stands for, and only that one. */
    private static void checkContenders(
            ConfigurableApplicationContext migratorApplication, ConfigurableApplicationContext flywayApplication) {
        checkContender(migratorApplication, "migrator's application", 1, 0);
        checkContender(flywayApplication, "Boot's Flyway application", 0, 1);
    }

    private static void checkContender(
            ConfigurableApplicationContext context, String name, int migrator, int bootFlyway) {
        int migrators = context.getBeanNamesForType(Migrator.class).length;
        int migrationsEndpoints = context.getBeanNamesForType(MigrationsEndpoint.class).length;
        int bootInitializers = context.getBeanNamesForType(FlywayMigrationInitializer.class).length;
        int flywayEndpoints = context.getBeanNamesForType(FlywayEndpoint.class).length;
        if (migrators != migrator
                || migrationsEndpoints != migrator
                || bootInitializers != bootFlyway
                || flywayEndpoints != bootFlyway) {
            throw new IllegalStateException(name + " has " + migrators + " Migrator, " + migrationsEndpoints
                    + " MigrationsEndpoint, " + bootInitializers + " FlywayMigrationInitializer and "
                    + flywayEndpoints + " FlywayEndpoint bean(s)");
        }
    }

    /** migrator's answer: up to date at the last version of both tracks, no lock held, every check passed. */
    private void checkMigrations(String body, int migrations) {
        JsonNode root = this.json.readTree(body);
        String last = String.valueOf(migrations);
        List<String> checks = new ArrayList<>();
        root.path("checks")
                .values()
                .forEach(check -> checks.add(check.path("status").asString()));
        boolean expected = root.path("status").asString().equals("UP_TO_DATE")
                && root.path("schema").path("current").asString().equals(last)
                && root.path("data").path("current").asString().equals(last)
                && root.path("schema").path("pending").isEmpty()
                && root.path("data").path("pending").isEmpty()
                && !root.path("lock").path("held").asBoolean()
                && !checks.isEmpty()
                && checks.stream().allMatch("PASSED"::equals);
        if (!expected) {
            throw new IllegalStateException("GET " + MIGRATIONS + " answered " + body + "; expected UP_TO_DATE at "
                    + last + " on both tracks, no lock held and every check passed");
        }
    }

    /** Boot's answer: every one of the schema migrations, each applied successfully. */
    private void checkFlyway(String body, int migrations) {
        JsonNode contexts = this.json.readTree(body).path("contexts");
        List<String> states = new ArrayList<>();
        contexts.values()
                .forEach(context -> context.path("flywayBeans")
                        .values()
                        .forEach(bean -> bean.path("migrations")
                                .values()
                                .forEach(migration ->
                                        states.add(migration.path("state").asString()))));
        if (states.size() != migrations || !states.stream().allMatch("SUCCESS"::equals)) {
            throw new IllegalStateException("GET " + FLYWAY + " listed " + states.size() + " migrations (states "
                    + states.stream().distinct().toList() + "), expected " + migrations + " in state SUCCESS");
        }
    }

    /**
     * Sends one request at a time to one application's endpoint and checks every answer: a 200, the
     * first one checked for its content, every later one the same as the first.
     */
    private static final class Client {

        private final HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        private final ConfigurableApplicationContext application;

        private final HttpRequest request;

        private final Consumer<String> check;

        private @Nullable String expected;

        Client(ConfigurableApplicationContext application, String path, Consumer<String> check) {
            this.application = application;
            String port = application.getEnvironment().getRequiredProperty("local.server.port");
            this.request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Accept", "application/json")
                    .timeout(TIMEOUT)
                    .GET()
                    .build();
            this.check = check;
        }

        ConfigurableApplicationContext application() {
            return this.application;
        }

        /** Send one request, check the answer and return how long it took. */
        long get() {
            long start = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = this.http.send(this.request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException ex) {
                throw new IllegalStateException("GET " + this.request.uri() + " failed: " + ex, ex);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted during GET " + this.request.uri(), ex);
            }
            long elapsed = System.nanoTime() - start;
            String body = response.body();
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "GET " + this.request.uri() + " answered " + response.statusCode() + ": " + body);
            }
            if (this.expected == null) {
                this.check.accept(body);
                this.expected = body;
            } else if (!this.expected.equals(body)) {
                throw new IllegalStateException(
                        "GET " + this.request.uri() + " answered differently from the first" + " time: " + body);
            }
            return elapsed;
        }

        void measure(int requests, Samples round, Samples all) {
            for (int i = 0; i < requests; i++) {
                long nanos = get();
                round.add(nanos);
                all.add(nanos);
            }
        }

        int bodyBytes() {
            return (this.expected != null) ? this.expected.getBytes(StandardCharsets.UTF_8).length : 0;
        }
    }
}
