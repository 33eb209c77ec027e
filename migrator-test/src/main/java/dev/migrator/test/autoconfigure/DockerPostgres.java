package dev.migrator.test.autoconfigure;

import dev.migrator.test.internal.PostgresServer;
import dev.migrator.test.internal.ServerAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A Testcontainers PostgreSQL for the tests of this JVM, started on first use when Docker is available. Only loaded
 * when Testcontainers' PostgreSQL module is on the classpath. Ryuk removes the container when the JVM exits; with
 * Testcontainers' reuse enabled ({@code testcontainers.reuse.enable=true}) it stays, and so do its templates.
 */
final class DockerPostgres {

    private static final Logger logger = LoggerFactory.getLogger(DockerPostgres.class);

    private static @Nullable PostgresServer server;

    private static boolean checked;

    private DockerPostgres() {}

    /** Where Testcontainers looks for Docker, in short: an environment variable, its own settings or a socket. */
    static boolean mayHaveDocker() {
        String home = System.getProperty("user.home", "");
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        List<Path> candidates = new ArrayList<>(List.of(
                Path.of("/var/run/docker.sock"),
                Path.of(home, ".testcontainers.properties"),
                Path.of(home, ".docker", "run", "docker.sock"),
                Path.of(home, ".docker", "desktop", "docker.sock"),
                Path.of(home, ".rd", "docker.sock"),
                Path.of(home, ".colima", "default", "docker.sock")));
        if (runtime != null) {
            candidates.add(Path.of(runtime, "docker.sock"));
            candidates.add(Path.of(runtime, "podman", "podman.sock"));
        }
        return System.getenv("DOCKER_HOST") != null
                || System.getenv("TESTCONTAINERS_HOST_OVERRIDE") != null
                || candidates.stream().anyMatch(Files::exists);
    }

    static synchronized @Nullable PostgresServer startIfDockerAvailable(String image) {
        if (!checked) {
            checked = true;
            server = start(image);
        }
        return server;
    }

    private static @Nullable PostgresServer start(String image) {
        if (!mayHaveDocker()) {
            // Asking Testcontainers costs about a second and logs an ERROR on every machine without Docker.
            logger.debug("No sign of Docker (DOCKER_HOST, a docker.sock, ~/.testcontainers.properties)");
            return null;
        }
        boolean available;
        try {
            available = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError ex) {
            logger.debug("Could not ask Testcontainers whether Docker is available", ex);
            available = false;
        }
        if (!available) {
            return null;
        }
        logger.info("Starting a Testcontainers PostgreSQL ({}) for the tests of this JVM", image);
        PostgreSQLContainer container = new PostgreSQLContainer(image).withReuse(true);
        container.start();
        ServerAddress maintenance = ServerAddress.parse(container.getJdbcUrl())
                .withCredentials(container.getUsername(), container.getPassword());
        return PostgresServer.of(maintenance, "Testcontainers " + image + " at " + maintenance.redactedUrl());
    }
}
