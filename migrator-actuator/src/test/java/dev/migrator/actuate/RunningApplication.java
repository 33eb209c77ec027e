package dev.migrator.actuate;

import dev.migrator.test.postgres.FreshDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.assertj.RestTestClientResponse;

/**
 * A real application with every auto-configuration on the test class path, serving HTTP on a random
 * port, migrating a fresh database with the scripts of a folder: {@code schema/}, {@code data/} and
 * {@code checks/}.
 */
final class RunningApplication implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private final RestTestClient client;

    private RunningApplication(ConfigurableApplicationContext context) {
        this.context = context;
        String port = context.getEnvironment().getRequiredProperty("local.server.port");
        this.client = RestTestClient.bindToServer()
                .baseUrl("http://localhost:" + port)
                .build();
    }

    static RunningApplication start(FreshDatabase database, Path migrations, String... properties) {
        List<String> all = new ArrayList<>(List.of(database.springProperties()));
        all.addAll(List.of(
                "server.port=0",
                "spring.main.banner-mode=off",
                "migrator.schema.locations=filesystem:" + migrations.resolve("schema"),
                "migrator.data.locations=filesystem:" + migrations.resolve("data"),
                "migrator.checks.locations=filesystem:" + migrations.resolve("checks"),
                "management.endpoints.web.exposure.include=migrations,health",
                "management.endpoint.health.show-details=always"));
        // Later values win, so a test can override the ones above.
        all.addAll(List.of(properties));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
                .properties(all.toArray(String[]::new))
                .run();
        return new RunningApplication(context);
    }

    static void script(Path migrations, String path, String sql) {
        Path file = migrations.resolve(path);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, sql);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    ConfigurableApplicationContext context() {
        return this.context;
    }

    RestTestClientResponse get(String path) {
        return RestTestClientResponse.from(this.client.get().uri(path).exchange());
    }

    RestTestClientResponse post(String path) {
        return RestTestClientResponse.from(this.client
                .post()
                .uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .exchange());
    }

    RestTestClientResponse post(String path, String json) {
        return RestTestClientResponse.from(this.client
                .post()
                .uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .body(json)
                .exchange());
    }

    String body(RestTestClientResponse response) {
        byte[] body = response.getExchangeResult().getResponseBodyContent();
        return (body != null) ? new String(body, java.nio.charset.StandardCharsets.UTF_8) : "";
    }

    @Override
    public void close() {
        this.context.close();
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {}
}
