package dev.migrator.test.autoconfigure;

import dev.migrator.test.internal.PostgresServer;
import dev.migrator.test.internal.ServerAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.container.ContainerImageMetadata;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Chooses the PostgreSQL server of a test context, first match wins: {@code migrator.test.url} (a Spring property:
 * system property, test property or configuration file) or the environment variable {@code MIGRATOR_TEST_JDBC_URL};
 * a {@code @ServiceConnection} container of the test; a Testcontainers PostgreSQL when Docker is available (unless
 * {@code migrator.test.testcontainers.enabled=false}); the embedded PostgreSQL of this JVM. Logs the choice once per
 * server.
 */
final class TestServers {

    static final String TESTCONTAINERS_ENABLED_PROPERTY = "migrator.test.testcontainers.enabled";

    static final String TESTCONTAINERS_IMAGE_PROPERTY = "migrator.test.testcontainers.image";

    private static final String DEFAULT_IMAGE = "postgres:17-alpine";

    private static final Logger logger = LoggerFactory.getLogger(TestServers.class);

    private static final Set<PostgresServer> announced = ConcurrentHashMap.newKeySet();

    private TestServers() {}

    static PostgresServer choose(Environment environment, ConfigurableListableBeanFactory beanFactory) {
        String url = environment.getProperty(PostgresServer.URL_PROPERTY);
        if (StringUtils.hasText(url)) {
            return announce(PostgresServer.external(url), PostgresServer.URL_PROPERTY);
        }
        url = environment.getProperty(PostgresServer.URL_VARIABLE);
        if (StringUtils.hasText(url)) {
            return announce(PostgresServer.external(url), "environment variable " + PostgresServer.URL_VARIABLE);
        }
        PostgresServer container = serviceConnection(beanFactory);
        if (container != null) {
            return announce(container, "the test's @ServiceConnection container");
        }
        PostgresServer docker = docker(environment, beanFactory.getBeanClassLoader());
        if (docker != null) {
            return announce(docker, "Testcontainers, Docker being available");
        }
        return announce(
                PostgresServer.embedded(),
                "no " + PostgresServer.URL_PROPERTY + ", " + PostgresServer.URL_VARIABLE
                        + ", @ServiceConnection container or Docker");
    }

    private static @Nullable PostgresServer serviceConnection(ConfigurableListableBeanFactory beanFactory) {
        for (String name : beanFactory.getBeanNamesForType(JdbcConnectionDetails.class, true, false)) {
            if (!beanFactory.containsBeanDefinition(name)
                    || !ContainerImageMetadata.isPresent(beanFactory.getMergedBeanDefinition(name))) {
                continue;
            }
            ContainerImageMetadata image = ContainerImageMetadata.getFrom(beanFactory.getMergedBeanDefinition(name));
            JdbcConnectionDetails details = beanFactory.getBean(name, JdbcConnectionDetails.class);
            String url = details.getJdbcUrl();
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new IllegalStateException("The @ServiceConnection container '" + name
                        + "' is not a PostgreSQL database (its URL starts '"
                        + url.substring(0, Math.min(url.length(), 20))
                        + "'). Declare a PostgreSQLContainer, or set " + PostgresServer.URL_PROPERTY + ".");
            }
            ServerAddress address = ServerAddress.parse(url)
                    .withCredentials(
                            details.getUsername() != null ? details.getUsername() : "",
                            details.getPassword() != null ? details.getPassword() : "");
            return PostgresServer.of(
                    address,
                    "container " + ((image != null) ? image.imageName() : name) + " at " + address.redactedUrl());
        }
        return null;
    }

    private static @Nullable PostgresServer docker(Environment environment, @Nullable ClassLoader classLoader) {
        if (!environment.getProperty(TESTCONTAINERS_ENABLED_PROPERTY, Boolean.class, true)
                || !ClassUtils.isPresent("org.testcontainers.DockerClientFactory", classLoader)
                || !ClassUtils.isPresent("org.testcontainers.postgresql.PostgreSQLContainer", classLoader)) {
            return null;
        }
        return DockerPostgres.startIfDockerAvailable(
                environment.getProperty(TESTCONTAINERS_IMAGE_PROPERTY, DEFAULT_IMAGE));
    }

    private static PostgresServer announce(PostgresServer server, String reason) {
        if (announced.add(server)) {
            logger.info("Test databases come from {} ({})", server.description(), reason);
        }
        return server;
    }
}
