package dev.migrator.demo.e2e;

import static org.assertj.core.api.Assertions.fail;

import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Starts the packaged demo application (the jar in system property {@code demo.jar}, set by failsafe) as real
 * processes against a fresh database of the test's own on the {@link TestPostgres test server}.
 *
 * <p>Each process writes its stdout and stderr to files under {@code target/e2e/<class>/<test>/}, kept after the
 * build and printed when the test fails. Every process still running is killed after each test, and, should the
 * build itself be stopped, when the test JVM exits; the database is dropped after the processes are gone.
 */
final class DemoProcesses implements BeforeEachCallback, AfterEachCallback, TestWatcher {

    /** Demo customers that data migration D2 seeds unless a test says otherwise: a few ranges of backfill. */
    static final int DEFAULT_SEED = 2500;

    private static final String SEED_OPTION = "--demo.seed.customers=";

    private static final String PORT_OPTION = "--server.port=";

    private static final Set<Process> running = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> running.forEach(Process::destroyForcibly), "demo-processes-kill"));
    }

    private final List<DemoProcess> processes = new ArrayList<>();

    private @Nullable FreshDatabase database;

    private @Nullable Path directory;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        this.directory = Path.of("target", "e2e", context.getRequiredTestClass().getSimpleName())
                .resolve(context.getRequiredTestMethod().getName());
        Files.createDirectories(this.directory);
        this.database = TestPostgres.server().createDatabase();
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        try {
            for (DemoProcess process : this.processes) {
                process.kill();
            }
        } finally {
            if (this.database != null) {
                this.database.close();
            }
        }
    }

    @Override
    public void testFailed(ExtensionContext context, @Nullable Throwable cause) {
        for (DemoProcess process : this.processes) {
            System.out.println(process.describeOutput());
        }
    }

    /**
     * Start the packaged application on the test's database with {@value #DEFAULT_SEED} demo customers and a free
     * port unless the arguments say otherwise.
     *
     * @param name the process's name in file names and messages, for example {@code instance-1}
     * @param arguments further command line arguments, such as {@code --migrator.auto-run=false}
     * @return the started process
     */
    DemoProcess start(String name, String... arguments) {
        FreshDatabase database = database();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Short-lived JVMs on few cores: the optimizing compiler and parallel GC threads cost more than they
                // bring; both shorten each start by seconds.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-jar",
                jar().toString(),
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username()));
        // A repeated option would be read as both values joined with a comma, so defaults only where none is given.
        if (List.of(arguments).stream().noneMatch(argument -> argument.startsWith(SEED_OPTION))) {
            command.add(SEED_OPTION + DEFAULT_SEED);
        }
        if (List.of(arguments).stream().noneMatch(argument -> argument.startsWith(PORT_OPTION))) {
            command.add(PORT_OPTION + "0");
        }
        command.addAll(List.of(arguments));
        Path stdout = directory().resolve(name + ".out.log");
        Path stderr = directory().resolve(name + ".err.log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        // Settings of the shell that runs the build must not change what the processes do.
        builder.environment()
                .keySet()
                .removeIf(variable -> variable.startsWith("SPRING_")
                        || variable.startsWith("MIGRATOR_")
                        || variable.startsWith("MANAGEMENT_")
                        || variable.startsWith("DEMO_"));
        // Not on the command line, where any user of the machine could read it.
        builder.environment().put("SPRING_DATASOURCE_PASSWORD", database.password());
        Process process;
        try {
            process = builder.start();
        } catch (IOException ex) {
            throw new UncheckedIOException("Could not start " + command, ex);
        }
        running.add(process);
        process.onExit().thenRun(() -> running.remove(process));
        DemoProcess started = new DemoProcess(name, process, stdout, stderr);
        this.processes.add(started);
        return started;
    }

    /**
     * Return a JDBC client on the test's database.
     *
     * @return the client
     */
    JdbcClient jdbc() {
        return JdbcClient.create(database().dataSource());
    }

    /**
     * Return a non-pooling data source on the test's database.
     *
     * @return the data source
     */
    DataSource dataSource() {
        return database().dataSource();
    }

    private FreshDatabase database() {
        if (this.database == null) {
            throw new IllegalStateException("No database outside a test");
        }
        return this.database;
    }

    private Path directory() {
        if (this.directory == null) {
            throw new IllegalStateException("No output directory outside a test");
        }
        return this.directory;
    }

    private static Path jar() {
        String jar = System.getProperty("demo.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            fail("No packaged application at system property demo.jar ('" + jar + "'). Run the end-to-end tests with"
                    + " './mvnw -B verify' so that failsafe runs them after package and names the jar.");
        }
        return Path.of(jar);
    }

    static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", ex);
        }
    }
}
