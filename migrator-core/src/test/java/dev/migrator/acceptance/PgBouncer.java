package dev.migrator.acceptance;

import dev.migrator.test.internal.ServerAddress;
import dev.migrator.test.postgres.FreshDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PgBouncer (the {@code pgbouncer} binary of the operating system's package) in front of a
 * test database, in a given pool mode. {@code .ci/run} installs the package when it is missing.
 * PgBouncer refuses to run as root, so as root it runs as the {@code postgres} user.
 */
public final class PgBouncer implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/pgbouncer");

    private final Process process;

    private final Path directory;

    private final int port;

    private final FreshDatabase database;

    private PgBouncer(Process process, Path directory, int port, FreshDatabase database) {
        this.process = process;
        this.directory = directory;
        this.port = port;
        this.database = database;
    }

    /** Return whether the binary is installed here. */
    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Start PgBouncer in front of a database.
     *
     * @param database the database behind it
     * @param poolMode {@code session}, {@code transaction} or {@code statement}
     * @return the running PgBouncer, ready for connections
     */
    public static PgBouncer start(FreshDatabase database, String poolMode) throws IOException, InterruptedException {
        ServerAddress server = ServerAddress.parse(database.jdbcUrl());
        String hostPort = server.hosts().split(",")[0];
        String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
        String serverPort = hostPort.substring(hostPort.lastIndexOf(':') + 1);
        int port = freePort();
        Path directory = Files.createTempDirectory("pgbouncer");
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(
                directory.resolve("userlist.txt"), "\"" + database.username() + "\" \"" + database.password() + "\"\n");
        Files.writeString(
                directory.resolve("pgbouncer.ini"),
                String.join(
                        "\n",
                        "[databases]",
                        "* = host=" + host + " port=" + serverPort,
                        "[pgbouncer]",
                        "listen_addr = 127.0.0.1",
                        "listen_port = " + port,
                        "unix_socket_dir =",
                        "auth_type = trust",
                        "auth_file = " + directory.resolve("userlist.txt"),
                        "pool_mode = " + poolMode,
                        "max_client_conn = 200",
                        "default_pool_size = 20",
                        "ignore_startup_parameters = extra_float_digits,options",
                        "logfile = " + directory.resolve("pgbouncer.log"),
                        "pidfile = " + directory.resolve("pgbouncer.pid"),
                        ""));
        for (Path file : List.of(directory.resolve("userlist.txt"), directory.resolve("pgbouncer.ini"))) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        }
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(
                List.of(BINARY.toString(), directory.resolve("pgbouncer.ini").toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("stdout.log").toFile())
                .start();
        PgBouncer bouncer = new PgBouncer(process, directory, port, database);
        bouncer.awaitListening();
        return bouncer;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket socket = new Socket("127.0.0.1", this.port)) {
                return;
            } catch (IOException ex) {
                if (!this.process.isAlive() || System.nanoTime() - deadline > 0) {
                    throw new IOException("PgBouncer did not start: " + log(), ex);
                }
                Thread.sleep(20);
            }
        }
    }

    /** Return the JDBC URL of the database through PgBouncer, without server-side prepared statements. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + this.database.name() + "?prepareThreshold=0";
    }

    /** Return a data source that connects through PgBouncer. */
    public PGSimpleDataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl());
        dataSource.setUser(this.database.username());
        dataSource.setPassword(this.database.password());
        return dataSource;
    }

    /** Return what PgBouncer logged, for a failure message. */
    public String log() throws IOException {
        StringBuilder log = new StringBuilder();
        for (String name : List.of("stdout.log", "pgbouncer.log")) {
            Path file = this.directory.resolve(name);
            if (Files.exists(file)) {
                log.append(Files.readString(file));
            }
        }
        return log.toString();
    }

    @Override
    public void close() throws Exception {
        // Under runuser the PgBouncer process is a grandchild: stop it by its pid file.
        Path pidFile = this.directory.resolve("pgbouncer.pid");
        if (Files.exists(pidFile)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(ProcessHandle::destroy);
        }
        this.process.destroy();
        this.process.waitFor();
    }
}
