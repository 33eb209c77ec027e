package dev.migrator.test.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The template protocol across JVMs, played by instances with sessions of their own: advisory locks belong to
 * sessions, so two instances behave like two JVMs on one server.
 */
class DatabaseTemplatesIntegrationTests {

    private final PostgresServer server = serverOfThisJvm();

    private final JdbcTemplate admin = new JdbcTemplate(server.adminDataSource());

    private final String template =
            DatabaseTemplates.templateName(UUID.randomUUID().toString().replace("-", ""));

    @AfterEach
    void dropTemplate() {
        if (databases().contains(template)) {
            server.execute("ALTER DATABASE " + template + " WITH IS_TEMPLATE false");
            server.drop(template);
        }
    }

    @Test
    void secondBuilderWaitsForTheFirstAndThenClonesItsTemplate() throws Exception {
        DatabaseTemplates first = new DatabaseTemplates(server);
        DatabaseTemplates second = new DatabaseTemplates(server);
        DatabaseTemplates.Build build =
                first.startBuild(template, Duration.ofSeconds(5)).orElseThrow();
        new JdbcTemplate(server.address(template).dataSource()).execute("CREATE TABLE marker (id int)");

        CompletableFuture<Optional<DatabaseTemplates.Build>> waiting =
                CompletableFuture.supplyAsync(() -> second.startBuild(template, Duration.ofSeconds(30)));
        Thread.sleep(300);
        assertThat(waiting).isNotDone();
        assertThat(second.cloneIfComplete(template)).isEmpty();
        build.complete();

        assertThat(waiting.get(30, TimeUnit.SECONDS)).isEmpty();
        String clone = second.cloneIfComplete(template).orElseThrow();
        try {
            assertThat(new JdbcTemplate(server.address(clone).dataSource())
                            .queryForList("SELECT tablename FROM pg_tables WHERE tablename = 'marker'", String.class))
                    .containsExactly("marker");
        } finally {
            second.dropClone(clone);
        }
        assertThat(databases()).doesNotContain(clone);
    }

    @Test
    void abandonedBuildIsDroppedAndBuiltAgainByTheNext() throws Exception {
        DatabaseTemplates first = new DatabaseTemplates(server);
        DatabaseTemplates second = new DatabaseTemplates(server);
        DatabaseTemplates.Build build =
                first.startBuild(template, Duration.ofSeconds(5)).orElseThrow();

        CompletableFuture<Optional<DatabaseTemplates.Build>> waiting =
                CompletableFuture.supplyAsync(() -> second.startBuild(template, Duration.ofSeconds(30)));
        Thread.sleep(300);
        build.close();

        DatabaseTemplates.Build again = waiting.get(30, TimeUnit.SECONDS).orElseThrow();
        assertThat(databases()).contains(template);
        again.close();
        assertThat(databases()).doesNotContain(template);
    }

    @Test
    void lockWaitGivesUpNamingTheHolder() {
        DatabaseTemplates first = new DatabaseTemplates(server);
        DatabaseTemplates second = new DatabaseTemplates(server);
        try (DatabaseTemplates.Build build =
                first.startBuild(template, Duration.ofSeconds(5)).orElseThrow()) {
            assertThatIllegalStateException()
                    .isThrownBy(() -> second.startBuild(template, Duration.ofMillis(200)))
                    .withMessageContaining("build lock of template database '" + template + "'")
                    .withMessageContaining("'migrator-test template build'");
        }
    }

    @Test
    void clonesOlderThanADayAreSweptByTheNextJvm() {
        String old = DatabaseTemplates.CLONE_PREFIX
                + Instant.now().minus(Duration.ofDays(2)).getEpochSecond() + "_0123456789ab";
        String recent = DatabaseTemplates.CLONE_PREFIX + Instant.now().getEpochSecond() + "_0123456789ab";
        server.execute("CREATE DATABASE " + old);
        server.execute("CREATE DATABASE " + recent);
        try {
            new DatabaseTemplates(server).cloneIfComplete(template);

            assertThat(databases()).doesNotContain(old).contains(recent);
        } finally {
            server.drop(old);
            server.drop(recent);
        }
    }

    private List<String> databases() {
        return admin.queryForList("SELECT datname FROM pg_database", String.class);
    }

    private static PostgresServer serverOfThisJvm() {
        String url = System.getProperty(PostgresServer.URL_PROPERTY, System.getenv(PostgresServer.URL_VARIABLE));
        return (url != null && !url.isBlank()) ? PostgresServer.external(url) : PostgresServer.embedded();
    }
}
