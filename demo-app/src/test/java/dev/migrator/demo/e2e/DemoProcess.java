package dev.migrator.demo.e2e;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One running (or ended) process of the packaged demo application, started by {@link DemoProcesses}.
 */
final class DemoProcess {

    /** Exit status of a process ended by SIGKILL: 128 + 9. */
    static final int KILLED = 137;

    private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

    private static final String STARTED = "Started DemoApplication in ";

    private final String name;

    private final Process process;

    private final Path stdout;

    private final Path stderr;

    private int port;

    DemoProcess(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Wait until the application has started, failing if it ends first or takes longer than the timeout.
     *
     * @param timeout how long to wait
     * @return this process, its port known
     */
    DemoProcess awaitStarted(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String output = stdout();
            if (output.contains(STARTED)) {
                Matcher port = PORT.matcher(output);
                if (!port.find()) {
                    fail("Process '" + this.name + "' started without a web server port in its log");
                }
                this.port = Integer.parseInt(port.group(1));
                return this;
            }
            if (!this.process.isAlive()) {
                fail("Process '" + this.name + "' ended with exit status " + this.process.exitValue()
                        + " before it started; its output is printed below the test result");
            }
            if (System.nanoTime() - deadline >= 0) {
                fail("Process '" + this.name + "' did not start within " + timeout.toSeconds() + " s");
            }
            DemoProcesses.sleep(100);
        }
    }

    /**
     * Wait until the process ends, failing if it takes longer than the timeout.
     *
     * @param timeout how long to wait
     * @return the exit status
     */
    int awaitExit(Duration timeout) {
        try {
            if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("Process '" + this.name + "' did not end within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", ex);
        }
        return this.process.exitValue();
    }

    /**
     * Kill the process with SIGKILL, as the kernel's OOM killer or {@code kill -9} would, and wait until it is gone.
     *
     * @return the exit status, {@link #KILLED} unless it had ended before
     */
    int kill() throws InterruptedException {
        this.process.destroyForcibly();
        if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(
                    "Process '" + this.name + "' (pid " + this.process.pid() + ") survived SIGKILL for 30 s");
        }
        return this.process.exitValue();
    }

    boolean isAlive() {
        return this.process.isAlive();
    }

    /**
     * Return the URI of a path on this application's web server; only after {@link #awaitStarted(Duration)}.
     *
     * @param path the path, for example {@code /actuator/health}
     * @return the URI
     */
    URI uri(String path) {
        if (this.port == 0) {
            throw new IllegalStateException("Process '" + this.name + "' has no known port before it started");
        }
        return URI.create("http://localhost:" + this.port + path);
    }

    /** Return what the process wrote to stdout so far: its log, and a command's result. */
    String stdout() {
        return read(this.stdout);
    }

    /** Return what the process wrote to stdout and stderr so far. */
    String output() {
        return stdout() + read(this.stderr);
    }

    String describeOutput() {
        return "----- " + this.name + ": stdout " + this.stdout.toAbsolutePath() + " -----\n" + stdout() + "----- "
                + this.name + ": stderr " + this.stderr.toAbsolutePath() + " -----\n" + read(this.stderr);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException ex) {
            return "";
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
