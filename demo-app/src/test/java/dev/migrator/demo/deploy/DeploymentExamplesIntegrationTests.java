package dev.migrator.demo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.autoconfigure.descriptor.Trigger;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import dev.migrator.core.RunOptions;
import dev.migrator.demo.DemoApplication;
import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment examples say what they do: the Compose file runs the migration job before the
 * application, the Kubernetes Job runs command mode, and the Deployment's readiness, with the
 * settings it gives, keeps a replica out of traffic while migrations are pending.
 */
class DeploymentExamplesIntegrationTests {

    private static final Path EXAMPLES = Path.of("..", "examples");

    @Test
    void composeStartsTheApplicationOnlyAfterTheMigrationJobSucceeded() throws IOException {
        Map<String, Object> services = map(yaml("compose/compose.yaml").get(0), "services");

        Map<String, Object> migrate = map(services, "migrate");
        assertThat(list(migrate, "command")).contains("--migrator.command=migrate");
        Map<String, Object> app = map(services, "app");
        assertThat(map(map(app, "depends_on"), "migrate")).containsEntry("condition", "service_completed_successfully");
        assertThat(map(app, "environment"))
                .containsEntry("MIGRATOR_AUTORUN", "false")
                .containsEntry("MIGRATOR_ONPENDING", "fail");
    }

    @Test
    void theKubernetesJobRunsCommandModeOnceAndTheDeploymentsReadinessIncludesMigrations() throws Exception {
        Map<String, Object> job = yaml("kubernetes/migration-job.yaml").get(0);
        assertThat(job).containsEntry("kind", "Job");
        Map<String, Object> jobPod = map(map(map(job, "spec"), "template"), "spec");
        assertThat(jobPod).containsEntry("restartPolicy", "Never");
        assertThat(list(container(jobPod), "args")).contains("--migrator.command=migrate");

        Map<String, Object> deployment = yaml("kubernetes/deployment.yaml").get(0);
        Map<String, Object> shop = container(map(map(map(deployment, "spec"), "template"), "spec"));
        assertThat(map(map(shop, "readinessProbe"), "httpGet")).containsEntry("path", "/actuator/health/readiness");
        Map<String, Object> environment = new LinkedHashMap<>();
        for (Object variable : list(shop, "env")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> env = (Map<String, Object>) variable;
            if (env.containsKey("value") && !((String) env.get("name")).startsWith("SPRING_DATASOURCE")) {
                environment.put((String) env.get("name"), env.get("value"));
            }
        }
        assertThat(environment)
                .containsEntry("MANAGEMENT_ENDPOINT_HEALTH_GROUP_READINESS_INCLUDE", "readinessState,migrations")
                .containsEntry("MIGRATOR_AUTORUN", "false");
        assertReadinessFollowsMigrations(environment);
    }

    /** The Deployment's settings on the demo: not ready while migrations are pending, ready once applied. */
    private static void assertReadinessFollowsMigrations(Map<String, Object> deploymentEnvironment) throws Exception {
        try (FreshDatabase database = TestPostgres.server().createDatabase()) {
            List<String> args = new ArrayList<>(List.of(
                    "--spring.datasource.url=" + database.jdbcUrl(),
                    "--spring.datasource.username=" + database.username(),
                    "--spring.datasource.password=" + database.password(),
                    "--server.port=0",
                    "--demo.seed.customers=0",
                    // The demo validates its schema with Hibernate, which an unmigrated database would fail.
                    "--spring.jpa.hibernate.ddl-auto=none"));
            SpringApplication application = new SpringApplication(DemoApplication.class);
            // The container's variables, read the way Boot reads the real environment (its relaxed names included).
            application.addInitializers(context -> context.getEnvironment()
                    .getPropertySources()
                    .addFirst(new SystemEnvironmentPropertySource(
                            "deployment-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            deploymentEnvironment)));
            try (ConfigurableApplicationContext context = application.run(args.toArray(String[]::new))) {
                String port = context.getEnvironment().getRequiredProperty("local.server.port");
                URI readiness = URI.create("http://localhost:" + port + "/actuator/health/readiness");

                assertThat(status(readiness)).isEqualTo(503);
                context.getBean(MigratorOperations.class).migrate(Trigger.ENDPOINT, RunOptions.defaults());
                assertThat(status(readiness)).isEqualTo(200);
            }
        }
    }

    private static int status(URI uri) throws Exception {
        return HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static Map<String, Object> container(Map<String, Object> podSpec) {
        @SuppressWarnings("unchecked")
        Map<String, Object> container =
                (Map<String, Object>) list(podSpec, "containers").get(0);
        return container;
    }

    private static List<Map<String, Object>> yaml(String file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(EXAMPLES.resolve(file))) {
            for (Object document : new Yaml().loadAll(reader)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) document;
                documents.add(map);
            }
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return (Map<String, Object>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return (List<Object>) parent.get(key);
    }
}
