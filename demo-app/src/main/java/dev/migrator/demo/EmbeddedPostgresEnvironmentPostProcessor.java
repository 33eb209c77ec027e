package dev.migrator.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Supplies {@code spring.datasource.url} from an embedded PostgreSQL server when no other property source sets it.
 *
 * <p>The property source comes last and starts the server only when the URL is first read from it, so a URL set
 * anywhere else (a property, {@code SPRING_DATASOURCE_URL}, the command line, a test's dynamic properties) starts
 * nothing. The data directory is a fresh temporary one unless {@code demo.embedded.data-dir} names one to keep. The
 * server stops when the JVM exits.
 *
 * @since 0.1.0
 */
public class EmbeddedPostgresEnvironmentPostProcessor implements EnvironmentPostProcessor {

    private static final String URL_PROPERTY = "spring.datasource.url";

    private static final String DATA_DIR_PROPERTY = "demo.embedded.data-dir";

    private final Log log;

    public EmbeddedPostgresEnvironmentPostProcessor(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(EmbeddedPostgresEnvironmentPostProcessor.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new EmbeddedPostgresPropertySource(environment));
    }

    private final class EmbeddedPostgresPropertySource extends PropertySource<Object> {

        // Not the source: Boot's binder would descend into an environment source and find this one again.
        private final ConfigurableEnvironment environment;

        private @Nullable String url;

        EmbeddedPostgresPropertySource(ConfigurableEnvironment environment) {
            super("embeddedPostgres");
            this.environment = environment;
        }

        @Override
        public synchronized @Nullable Object getProperty(String name) {
            if (!URL_PROPERTY.equals(name)) {
                return null;
            }
            if (this.url == null) {
                this.url = start(this.environment.getProperty(DATA_DIR_PROPERTY));
            }
            return this.url;
        }

        private String start(@Nullable String dataDir) {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (dataDir != null) {
                builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            EmbeddedPostgres postgres;
            try {
                // The builder registers a shutdown hook that stops the server when the JVM exits.
                postgres = builder.start();
            } catch (IOException ex) {
                throw new UncheckedIOException(
                        "Could not start the embedded PostgreSQL server. Set " + URL_PROPERTY
                                + " (or SPRING_DATASOURCE_URL) to use a running server instead.",
                        ex);
            }
            // The user goes into the URL because this source answers nothing else: answering
            // spring.datasource.username as well would start the server next to a real URL set without one.
            String url = postgres.getJdbcUrl("postgres", "postgres");
            log.info("Using an embedded PostgreSQL server at '" + url + "' with "
                    + ((dataDir != null) ? "data directory '" + dataDir + "'" : "a temporary data directory")
                    + ". Set " + URL_PROPERTY + " (or SPRING_DATASOURCE_URL) to use a real server.");
            return url;
        }
    }
}
