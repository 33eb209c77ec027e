package dev.migrator.autoconfigure;

import dev.migrator.autoconfigure.operations.MigrationSets;
import dev.migrator.autoconfigure.operations.MigratorOperations;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import dev.migrator.core.MigratorSettings;
import dev.migrator.core.Setting;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.util.StringUtils;

/**
 * Refuses two migration sets that would keep their history in the same table of the same database:
 * their histories would mix and their locks (keyed by the data history table) would be one.
 */
final class MigrationSetTables {

    private MigrationSetTables() {}

    static void check(MigratorProperties properties, List<MigratorOperations> sets) {
        Map<String, String> owners = new HashMap<>();
        for (MigratorOperations set : sets) {
            MigratorSettings settings = set.migrator().settings();
            String database = database(properties, set.name());
            String schema = settings.defaultSchema().orElse("(current schema)");
            claim(owners, database, schema, settings.schemaTable(), set.name(), Setting.SCHEMA_TABLE);
            claim(owners, database, schema, settings.dataTable(), set.name(), Setting.DATA_TABLE);
        }
    }

    private static void claim(
            Map<String, String> owners, String database, String schema, String table, String set, Setting setting) {
        String property = property(set, setting);
        String other = owners.putIfAbsent(database + "|" + schema + "|" + table, property);
        if (other != null) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "Two migration sets keep their history in the same table '" + table + "' (schema " + schema + "): "
                            + other + " and " + property + ".",
                    "Give each set a history table of its own, for example " + property + "="
                            + set.replace('-', '_') + "_" + (setting == Setting.SCHEMA_TABLE ? "schema" : "data")
                            + "_history.",
                    null);
        }
    }

    private static String property(String set, Setting setting) {
        String prefix = MigrationSets.DEFAULT.equals(set) ? "migrator." : "migrator.sets." + set + ".";
        return MigrationSetProperties.propertyName(prefix, setting);
    }

    /** Sets on one database are those that connect alike; sets with a URL or a bean of their own are apart. */
    private static String database(MigratorProperties properties, String set) {
        MigrationSetProperties setProperties = MigrationSets.DEFAULT.equals(set)
                ? properties
                : properties.getSets().get(set);
        if (setProperties != null && StringUtils.hasText(setProperties.getUrl())) {
            return "url " + setProperties.getUrl();
        }
        if (setProperties instanceof MigratorProperties.Set named && StringUtils.hasText(named.getDataSource())) {
            return "bean " + named.getDataSource();
        }
        return "application DataSource";
    }
}
