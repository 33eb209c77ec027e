package dev.migrator.test.internal;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The template databases of one server and their clones. A template is built once per key, by whichever JVM gets its
 * build lock first (a session advisory lock on the maintenance database, so a JVM that dies releases it), and is
 * complete only once its comment says so: the comment is written last, after the template was closed to connections.
 * A clone is a {@code CREATE DATABASE ... TEMPLATE} of a complete template. Clones left behind by a JVM that did not
 * exit normally are dropped after a day, templates unused for a week are dropped, both by the next JVM that uses the
 * server. Internal: not for use outside migrator-test.
 */
public final class DatabaseTemplates {

    /** Names of template databases start with this. */
    public static final String TEMPLATE_PREFIX = "migrator_tpl_";

    /** Names of clones start with this. */
    public static final String CLONE_PREFIX = "migrator_clone_";

    /** System property naming PostgreSQL's {@code CREATE DATABASE} strategy, from version 15: {@code WAL_LOG}, {@code FILE_COPY}. */
    public static final String STRATEGY_PROPERTY = "migrator.test.clone-strategy";

    private static final Logger logger = LoggerFactory.getLogger(DatabaseTemplates.class);

    private static final String COMPLETE = "migrator-test template complete, last used ";

    private static final Pattern COMMENT = Pattern.compile(Pattern.quote(COMPLETE) + "(\\S+)");

    private static final Pattern CLONE_NAME = Pattern.compile(CLONE_PREFIX + "(\\d+)_[0-9a-f]+");

    /** First key of the two-key advisory lock: "mtst". */
    private static final int LOCK_CLASS = 0x6d747374;

    private static final Duration LOCK_POLL = Duration.ofMillis(100);

    private static final Duration CLONE_MAX_AGE = Duration.ofDays(1);

    private static final Duration TEMPLATE_MAX_IDLE = Duration.ofDays(7);

    private static final Duration TOUCH_AFTER = Duration.ofHours(1);

    private static final SecureRandom random = new SecureRandom();

    private final PostgresServer server;

    private final Set<String> liveClones = ConcurrentHashMap.newKeySet();

    private final Set<String> touched = ConcurrentHashMap.newKeySet();

    private final Map<String, Future<String>> spares = new ConcurrentHashMap<>();

    private final ExecutorService background = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "migrator-test-spare-clones");
        thread.setDaemon(true);
        return thread;
    });

    private volatile boolean swept;

    private volatile boolean hooked;

    DatabaseTemplates(PostgresServer server) {
        this.server = server;
    }

    /**
     * Returns the name of the template database for a key.
     *
     * @param key the hex key of a migration set, at least 24 characters
     * @return the name
     */
    public static String templateName(String key) {
        return TEMPLATE_PREFIX + key.substring(0, 24);
    }

    /**
     * Returns the server these templates live on.
     *
     * @return the server
     */
    public PostgresServer server() {
        return this.server;
    }

    /**
     * Creates a clone of a template if the template is complete.
     *
     * @param template the template name
     * @return the clone's name, empty when the template is missing or not complete
     */
    public Optional<String> cloneIfComplete(String template) {
        sweepOnce();
        Optional<Instant> lastUsed = completedLastUsed(template);
        if (lastUsed.isEmpty()) {
            return Optional.empty();
        }
        if (this.touched.add(template) && lastUsed.get().isBefore(Instant.now().minus(TOUCH_AFTER))) {
            markComplete(template);
        }
        try {
            return Optional.of(takeClone(template));
        } catch (IllegalStateException ex) {
            // Dropped since it was read as complete (pruned by another JVM): the caller builds it again.
            if (completedLastUsed(template).isEmpty()) {
                logger.debug("Template {} vanished before it could be cloned", template, ex);
                return Optional.empty();
            }
            throw ex;
        }
    }

    /**
     * Returns a clone of a complete template that nothing has used: the spare one made in the background since the
     * last call, if there is one, otherwise a new one; and starts making the next spare. With a spare ready, a fresh
     * database costs no {@code CREATE DATABASE} on the caller's path, whatever the size of the template.
     *
     * @param template the template name
     * @return the clone's name
     * @throws IllegalStateException when the clone cannot be created
     */
    public String takeClone(String template) {
        Future<String> spare = this.spares.remove(template);
        String clone = null;
        if (spare != null) {
            try {
                clone = spare.get();
            } catch (ExecutionException ex) {
                logger.debug("The spare clone of {} could not be made; making one now", template, ex.getCause());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for a clone of '" + template + "'", ex);
            }
        }
        if (clone == null) {
            clone = createClone(template);
        }
        this.spares.computeIfAbsent(template, name -> this.background.submit(() -> createClone(name)));
        return clone;
    }

    /**
     * Creates a clone of a complete template, now.
     *
     * @param template the template name
     * @return the clone's name
     * @throws IllegalStateException when the clone cannot be created
     */
    public String createClone(String template) {
        String clone = CLONE_PREFIX + Instant.now().getEpochSecond() + "_"
                + HexFormat.of().formatHex(randomBytes());
        registerShutdownHookOnce();
        this.liveClones.add(clone);
        try {
            this.server.execute("CREATE DATABASE " + clone + " TEMPLATE " + template + strategy());
        } catch (RuntimeException ex) {
            this.liveClones.remove(clone);
            throw ex;
        }
        return clone;
    }

    private String strategy() {
        String strategy = System.getProperty(STRATEGY_PROPERTY, "");
        return (!strategy.isBlank() && this.server.versionNumber() >= 150000) ? " STRATEGY " + strategy : "";
    }

    /**
     * Drops a clone, ending the sessions still connected to it.
     *
     * @param clone the clone's name
     */
    public void dropClone(String clone) {
        this.server.drop(clone);
        this.liveClones.remove(clone);
    }

    /**
     * Waits for the build lock of a template and, unless another JVM completed the template meanwhile, creates it
     * empty for the caller to migrate.
     *
     * @param template the template name
     * @param timeout the longest wait for the lock
     * @return the build, holding the lock; empty when the template is complete (the lock is then released)
     * @throws IllegalStateException when the lock is not obtained in time or the database cannot be created
     */
    public Optional<Build> startBuild(String template, Duration timeout) {
        sweepOnce();
        Connection lock = Objects.requireNonNull(lock(template, timeout, true));
        try {
            if (completedLastUsed(template).isPresent()) {
                close(lock);
                return Optional.empty();
            }
            dropTemplate(template);
            this.server.execute("CREATE DATABASE " + template);
            return Optional.of(new Build(template, lock));
        } catch (RuntimeException ex) {
            close(lock);
            throw ex;
        }
    }

    private @Nullable Connection lock(String template, Duration timeout, boolean failOnTimeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean logged = false;
        Connection connection;
        try {
            connection = this.server.adminDataSource().getConnection();
        } catch (SQLException ex) {
            throw this.server.failure("SELECT pg_try_advisory_lock(...)", ex);
        }
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET application_name = 'migrator-test template build'");
            }
            try (PreparedStatement tryLock = connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
                tryLock.setInt(1, LOCK_CLASS);
                tryLock.setInt(2, lockKey(template));
                while (true) {
                    try (ResultSet result = tryLock.executeQuery()) {
                        result.next();
                        if (result.getBoolean(1)) {
                            return connection;
                        }
                    }
                    if (System.nanoTime() >= deadline && !failOnTimeout) {
                        close(connection);
                        return null;
                    }
                    if (System.nanoTime() >= deadline) {
                        String holder = lockHolder(connection, template);
                        close(connection);
                        throw new IllegalStateException("Timed out after " + timeout.toSeconds()
                                + " s waiting for the build lock of template database '" + template + "', held by "
                                + holder + " on " + this.server.description()
                                + ". Another test JVM builds it; if that one hangs, stop it.");
                    }
                    if (!logged) {
                        logger.info("Waiting for another test JVM to finish building template database {}", template);
                        logged = true;
                    }
                    Thread.sleep(LOCK_POLL.toMillis());
                }
            }
        } catch (SQLException ex) {
            close(connection);
            throw this.server.failure("SELECT pg_try_advisory_lock(...)", ex);
        } catch (InterruptedException ex) {
            close(connection);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the build lock of '" + template + "'", ex);
        }
    }

    private String lockHolder(Connection connection, String template) throws SQLException {
        try (PreparedStatement holder = connection.prepareStatement(
                "SELECT a.pid, a.application_name, a.client_addr"
                        + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                        + " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ? AND l.objid = ? AND l.objsubid = 2")) {
            holder.setLong(1, LOCK_CLASS);
            holder.setLong(2, lockKey(template));
            try (ResultSet result = holder.executeQuery()) {
                return result.next()
                        ? "pid " + result.getInt(1) + " ('" + result.getString(2) + "' from "
                                + Optional.ofNullable(result.getString(3)).orElse("a local socket") + ")"
                        : "a session that has just ended";
            }
        }
    }

    private static int lockKey(String template) {
        return template.hashCode() & Integer.MAX_VALUE;
    }

    private Optional<Instant> completedLastUsed(String template) {
        try (Connection connection = this.server.adminDataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = ?")) {
            statement.setString(1, template);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() ? lastUsed(result.getString(1)) : Optional.empty();
            }
        } catch (SQLException ex) {
            throw this.server.failure("SELECT shobj_description(...) FROM pg_database", ex);
        }
    }

    private static Optional<Instant> lastUsed(@Nullable String comment) {
        if (comment == null) {
            return Optional.empty();
        }
        Matcher matcher = COMMENT.matcher(comment);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(matcher.group(1)));
        } catch (DateTimeParseException ex) {
            return Optional.of(Instant.EPOCH);
        }
    }

    private void markComplete(String template) {
        this.server.execute("COMMENT ON DATABASE " + template + " IS '" + COMPLETE + Instant.now() + "'");
    }

    private void dropTemplate(String template) {
        try (Connection connection = this.server.adminDataSource().getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT datistemplate FROM pg_database WHERE datname = ?")) {
            statement.setString(1, template);
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next()) {
                    return;
                }
                if (result.getBoolean(1)) {
                    this.server.execute("ALTER DATABASE " + template + " WITH IS_TEMPLATE false");
                }
            }
        } catch (SQLException ex) {
            throw this.server.failure("SELECT datistemplate FROM pg_database", ex);
        }
        this.server.drop(template);
    }

    private void sweepOnce() {
        if (this.swept) {
            return;
        }
        synchronized (this) {
            if (this.swept) {
                return;
            }
            this.swept = true;
        }
        try {
            sweep();
        } catch (RuntimeException ex) {
            logger.warn("Could not sweep old test databases on {}: {}", this.server.description(), ex.getMessage());
        }
    }

    private void sweep() {
        Instant now = Instant.now();
        List<String> clones = new ArrayList<>();
        List<String> templates = new ArrayList<>();
        try (Connection connection = this.server.adminDataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result =
                        statement.executeQuery("SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database"
                                + " WHERE datname LIKE 'migrator\\_clone\\_%' OR datname LIKE 'migrator\\_tpl\\_%'")) {
            while (result.next()) {
                String name = result.getString(1);
                Matcher clone = CLONE_NAME.matcher(name);
                if (clone.matches()) {
                    if (Instant.ofEpochSecond(Long.parseLong(clone.group(1))).isBefore(now.minus(CLONE_MAX_AGE))) {
                        clones.add(name);
                    }
                } else if (name.startsWith(TEMPLATE_PREFIX)
                        && lastUsed(result.getString(2))
                                .map(used -> used.isBefore(now.minus(TEMPLATE_MAX_IDLE)))
                                .orElse(false)) {
                    templates.add(name);
                }
            }
        } catch (SQLException ex) {
            throw this.server.failure("SELECT datname FROM pg_database", ex);
        }
        clones.forEach(this.server::drop);
        templates.removeIf(template -> !pruneIfIdle(template, now));
        if (!clones.isEmpty() || !templates.isEmpty()) {
            logger.info(
                    "Dropped {} clone(s) older than a day and {} template(s) unused for a week on {}",
                    clones.size(),
                    templates.size(),
                    this.server.description());
        }
    }

    private boolean pruneIfIdle(String template, Instant now) {
        Connection lock = lock(template, Duration.ZERO, false);
        if (lock == null) {
            // Someone is building it right now, so it is in use.
            return false;
        }
        try {
            if (completedLastUsed(template)
                    .map(used -> used.isBefore(now.minus(TEMPLATE_MAX_IDLE)))
                    .orElse(false)) {
                dropTemplate(template);
                return true;
            }
            return false;
        } finally {
            close(lock);
        }
    }

    private void registerShutdownHookOnce() {
        if (this.hooked) {
            return;
        }
        synchronized (this) {
            if (this.hooked) {
                return;
            }
            this.hooked = true;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::dropLiveClones, "migrator-test-clones"));
    }

    private void dropLiveClones() {
        this.background.shutdownNow();
        try {
            // A spare being created now would outlive the drop below.
            this.background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        for (String clone : List.copyOf(this.liveClones)) {
            try {
                dropClone(clone);
            } catch (RuntimeException ex) {
                // The embedded server may have stopped first, and took its databases with it.
                logger.debug("Could not drop {} at exit", clone, ex);
            }
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        random.nextBytes(bytes);
        return bytes;
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ex) {
            logger.debug("Could not close the lock session", ex);
        }
    }

    /** A template database being built, holding its build lock until {@link #complete()} or {@link #close()}. */
    public final class Build implements AutoCloseable {

        private final String template;

        private final Connection lock;

        private boolean done;

        Build(String template, Connection lock) {
            this.template = template;
            this.lock = lock;
        }

        /**
         * Returns the name of the template database.
         *
         * @return the name
         */
        public String template() {
            return this.template;
        }

        /**
         * Closes the template to connections, marks it complete and releases the lock. Every session on it must have
         * ended (or be ending): a clone cannot be made while one is connected.
         */
        public synchronized void complete() {
            if (this.done) {
                return;
            }
            try {
                server.execute("ALTER DATABASE " + this.template + " WITH ALLOW_CONNECTIONS false IS_TEMPLATE true");
                markComplete(this.template);
                touched.add(this.template);
            } finally {
                this.done = true;
                DatabaseTemplates.close(this.lock);
            }
        }

        /** Drops the template and releases the lock, unless the template was completed. */
        @Override
        public synchronized void close() {
            if (this.done) {
                return;
            }
            try {
                dropTemplate(this.template);
            } finally {
                this.done = true;
                DatabaseTemplates.close(this.lock);
            }
        }
    }
}
