package dev.migrator.autoconfigure.generate;

import dev.migrator.test.postgres.FreshDatabase;
import dev.migrator.test.postgres.TestPostgres;
import javax.sql.DataSource;

/**
 * A fresh database on the server that migrator-test-support gives tests: embedded PostgreSQL, or the server
 * {@code MIGRATOR_TEST_JDBC_URL} names. Only loaded when migrator-test-support is on the classpath.
 */
final class EmbeddedBuildDatabase implements BuildDatabase {

    private final TestPostgres server;

    private final FreshDatabase database;

    private EmbeddedBuildDatabase(TestPostgres server) {
        this.server = server;
        this.database = server.createDatabase();
    }

    /** Create a fresh database on the test server, starting it when it is the embedded one. */
    static BuildDatabase create() {
        return new EmbeddedBuildDatabase(TestPostgres.server());
    }

    @Override
    public DataSource dataSource() {
        return this.database.dataSource();
    }

    @Override
    public String description() {
        return "a fresh database on " + this.server.description();
    }

    @Override
    public void close() {
        this.database.close();
    }
}
