package dev.migrator.autoconfigure.command;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns a start with {@code migrator.command} into command mode: no web server, application beans
 * created lazily (only what the command needs), no migration on its own at startup, no banner, and
 * quiet logs unless configured otherwise. A service changes nothing in its {@code main} for this.
 */
class MigratorCommandEnvironmentPostProcessor implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.containsProperty("migrator.command")) {
            return;
        }
        // Command mode decides what runs: these win over the application's own configuration.
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "migratorCommandMode",
                        Map.of(
                                "spring.main.web-application-type",
                                "none",
                                "spring.main.lazy-initialization",
                                "true",
                                "spring.main.banner-mode",
                                "off",
                                "migrator.auto-run",
                                "false",
                                "migrator.on-pending",
                                "ignore",
                                // JPA starts even with lazy beans (the entity manager factory is created
                                // early): it must neither validate nor change a schema the command is
                                // about to migrate, or only reads.
                                "spring.jpa.hibernate.ddl-auto",
                                "none",
                                "spring.jpa.properties.hibernate.hbm2ddl.auto",
                                "none",
                                "spring.jpa.properties.jakarta.persistence.schema-generation.database.action",
                                "none")));
        // Keeps the command's output readable; an application's own logging settings still apply.
        environment
                .getPropertySources()
                .addLast(new MapPropertySource("migratorCommandModeDefaults", Map.of("logging.level.root", "warn")));
    }
}
