package dev.migrator.core.internal.data;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import dev.migrator.core.internal.jdbc.Connections;
import java.sql.SQLException;

/** Words the failure of a data migration: what failed and where, the database's error, the next step. */
final class DataFailures {

    private DataFailures() {}

    /** A failed statement of a SQL migration, with the line it starts on. */
    static final class StatementFailure extends SQLException {

        private final int line;

        StatementFailure(int line, SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause);
            this.line = line;
        }
    }

    static MigratorException failed(ResolvedDataMigration migration, Throwable failure) {
        if (failure instanceof MigratorException migratorException) {
            return migratorException;
        }
        StringBuilder description =
                new StringBuilder("Data migration '").append(migration.script()).append("' failed");
        Throwable cause = failure;
        if (failure instanceof StatementFailure statementFailure) {
            description.append(" at line ").append(statementFailure.line);
            cause = failure.getCause();
        }
        if (failure instanceof KeysetBackfill.BackfillFailure backfill) {
            description
                    .append(" at batch ")
                    .append(backfill.batch())
                    .append(" of the backfill of ")
                    .append(backfill.table());
            cause = failure.getCause();
        }
        SQLException sqlException = Connections.findSqlException(cause);
        if (sqlException != null) {
            description
                    .append(": '")
                    .append(Connections.firstLine(sqlException))
                    .append("'");
            if (sqlException.getSQLState() != null) {
                description
                        .append(" (SQL state ")
                        .append(sqlException.getSQLState())
                        .append(")");
            }
        } else {
            description
                    .append(": '")
                    .append(cause.getClass().getSimpleName())
                    .append(": ")
                    .append(Connections.firstLine(cause))
                    .append("'");
        }
        description.append('.');
        String action = migration.transactional()
                ? "Its transaction was rolled back and data migrations applied before it stay applied; fix it and"
                        + " start again."
                : "It ran without a transaction and is recorded as failed; completed backfill batches are not"
                        + " repeated, the rest of it runs again: fix it and start again.";
        return new MigratorException(ErrorCode.MIGRATION, description.toString(), action, failure);
    }
}
