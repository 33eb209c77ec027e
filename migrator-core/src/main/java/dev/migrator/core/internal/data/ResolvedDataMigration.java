package dev.migrator.core.internal.data;

import dev.migrator.core.MigrationEntry;
import dev.migrator.core.data.DataMigration;
import java.util.Optional;
import org.flywaydb.core.api.MigrationVersion;

/**
 * A data migration found locally: a SQL file or a Java {@link DataMigration}.
 *
 * @param version the version, empty for a repeatable migration
 * @param description the description
 * @param script the file name, or the class name of a Java migration
 * @param type {@code SQL}, {@code SQL_REPEATABLE} or {@code JAVA}
 * @param checksum the checksum, empty for a Java migration that declares none
 * @param transactional whether it runs in one transaction
 * @param afterSchema the schema version it must run after, if any
 * @param sql the parsed script, for a SQL migration
 * @param java the migration, for a Java migration
 */
public record ResolvedDataMigration(
        Optional<MigrationVersion> version,
        String description,
        String script,
        String type,
        Optional<Integer> checksum,
        boolean transactional,
        Optional<MigrationVersion> afterSchema,
        Optional<SqlScript> sql,
        Optional<DataMigration> java) {

    public boolean isRepeatable() {
        return this.version.isEmpty();
    }

    /** Return the version as users write it, or empty for a repeatable migration. */
    public Optional<String> versionText() {
        return this.version.map(MigrationVersion::getVersion);
    }

    public MigrationEntry entry() {
        return new MigrationEntry(versionText(), this.description, this.script, this.type);
    }
}
