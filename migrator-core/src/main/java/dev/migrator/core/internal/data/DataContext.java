package dev.migrator.core.internal.data;

import dev.migrator.core.data.Backfill;
import dev.migrator.core.data.DataMigrationContext;
import dev.migrator.core.internal.lock.Fence;
import dev.migrator.core.internal.timeout.LockRetries;
import java.sql.Connection;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a Java data migration works with: the run's connection, its logger and backfills. */
final class DataContext implements DataMigrationContext {

    private final Connection connection;

    private final PostgresDataHistory history;

    private final ResolvedDataMigration migration;

    private final Optional<String> schemaVersion;

    private final Batching batching;

    private final LongConsumer rows;

    private final Logger logger;

    private final Fence fence;

    private final LockRetries retries;

    private final int pid;

    DataContext(
            Connection connection,
            PostgresDataHistory history,
            ResolvedDataMigration migration,
            Optional<String> schemaVersion,
            Batching batching,
            LongConsumer rows,
            Fence fence,
            LockRetries retries,
            int pid) {
        this.connection = connection;
        this.retries = retries;
        this.pid = pid;
        this.fence = fence;
        this.history = history;
        this.migration = migration;
        this.schemaVersion = schemaVersion;
        this.batching = batching;
        this.rows = rows;
        this.logger = LoggerFactory.getLogger(migration.java().orElseThrow().getClass());
    }

    @Override
    public Connection connection() {
        return this.connection;
    }

    @Override
    public Optional<String> schemaVersion() {
        return this.schemaVersion;
    }

    @Override
    public Logger logger() {
        return this.logger;
    }

    @Override
    public Backfill backfill(String table) {
        return new KeysetBackfill(
                this.connection,
                this.history,
                this.migration.versionText().orElse(this.migration.script()),
                table,
                this.batching,
                this.logger,
                this.rows,
                this.fence,
                this.retries,
                this.pid);
    }
}
