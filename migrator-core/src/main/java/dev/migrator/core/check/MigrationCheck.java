package dev.migrator.core.check;

import java.sql.Connection;

/**
 * A health check that runs after every migration run and on demand: it inspects the migrated
 * database and says whether it is as expected, for example that no order lacks a customer.
 *
 * @since 0.1.0
 */
public interface MigrationCheck {

    /**
     * Return the name shown in results.
     *
     * @return the name, never {@code null}
     */
    String name();

    /**
     * Run the check on a read-only connection.
     *
     * @param connection a connection in a read-only transaction, rolled back afterwards
     * @return the result
     * @throws Exception when the check cannot run; reported as a failed check with the error
     */
    CheckResult run(Connection connection) throws Exception;
}
