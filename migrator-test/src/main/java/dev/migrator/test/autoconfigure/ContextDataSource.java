package dev.migrator.test.autoconfigure;

import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The {@code DataSource} bean of a test context: it hands out connections to whichever database the context has now,
 * so that the database can be replaced while the context, and everything that holds this data source, stays.
 */
final class ContextDataSource extends DelegatingDataSource {

    private final ContextDatabase database;

    ContextDataSource(ContextDatabase database) {
        this.database = database;
    }

    @Override
    public @Nullable DataSource getTargetDataSource() {
        return this.database.currentDataSource();
    }

    @Override
    protected DataSource obtainTargetDataSource() {
        return this.database.dataSource();
    }

    @Override
    public void afterPropertiesSet() {
        // The target is the context's database of the moment, never set.
    }

    @Override
    public String toString() {
        return "ContextDataSource on " + this.database;
    }
}
