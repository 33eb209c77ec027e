package dev.migrator.autoconfigure.generate;

import static dev.migrator.autoconfigure.generate.HibernateDdl.ADD_UNIQUE;
import static dev.migrator.autoconfigure.generate.HibernateDdl.ALTER_TYPE;
import static dev.migrator.autoconfigure.generate.HibernateDdl.CREATE_INDEX;
import static dev.migrator.autoconfigure.generate.HibernateDdl.unqualified;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Redactor;
import jakarta.persistence.spi.PersistenceUnitInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.MetadataImplementor;
import org.hibernate.engine.config.spi.ConfigurationService;
import org.hibernate.jpa.boot.spi.Bootstrap;
import org.hibernate.jpa.boot.spi.EntityManagerFactoryBuilder;
import org.hibernate.mapping.Column;
import org.hibernate.mapping.Table;
import org.hibernate.tool.schema.TargetType;
import org.hibernate.tool.schema.spi.ExecutionOptions;
import org.hibernate.tool.schema.spi.SchemaManagementTool;
import org.hibernate.tool.schema.spi.ScriptTargetOutput;
import org.hibernate.tool.schema.spi.TargetDescriptor;
import org.jspecify.annotations.Nullable;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * The entities as Hibernate maps them, read from the application's own persistence unit (its entity classes, naming
 * strategies and dialect settings, as Spring Boot configured them). Hibernate's schema update is run against the
 * database with a script as its only target, so nothing is executed; an index or unique constraint that the
 * database already has on the same columns under another name than Hibernate's is not reported (Hibernate compares
 * them by name only), nor is the change of a {@code text} or {@code varchar(n)} column to the {@code varchar(255)} that Hibernate
 * gives a {@code String} field without a length.
 */
final class HibernateEntityModel implements EntityModel {

    private static final String TABLES =
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ANY (current_schemas(false)) AND c.relkind IN ('r', 'p')";

    /** A string type with a length, as Hibernate writes it. */
    private static final Pattern STRING_WITH_LENGTH = Pattern.compile("(?i)(?:varchar|character varying)\\((\\d+)\\)");

    private static final String COLUMNS =
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
                    + " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ANY (current_schemas(false)) AND c.relkind IN ('r', 'p') AND a.attnum > 0"
                    + " AND NOT a.attisdropped ORDER BY c.relname, a.attnum";

    /** Indexes on plain columns: table, unique, the columns in order. */
    private static final String INDEXES = "SELECT c.relname, i.indisunique, array_to_string(ARRAY(SELECT a.attname"
            + " FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) JOIN pg_attribute a"
            + " ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.ord), ',')"
            + " FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ANY (current_schemas(false)) AND i.indexprs IS NULL AND i.indpred IS NULL";

    private static final long DEFAULT_LENGTH = 255;

    private final Supplier<@Nullable LocalContainerEntityManagerFactoryBean> factory;

    HibernateEntityModel(Supplier<@Nullable LocalContainerEntityManagerFactoryBean> factory) {
        this.factory = factory;
    }

    @Override
    public EntityComparison compareWith(DataSource database, Set<String> ignoredTables) {
        LocalContainerEntityManagerFactoryBean factory = this.factory.get();
        if (factory == null) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "There are no JPA entities to compare: the application has no JPA entity manager factory"
                            + " (LocalContainerEntityManagerFactoryBean), though Hibernate is on the classpath.",
                    "Add spring-boot-starter-data-jpa (it configures one from the entities), or write the migration"
                            + " by hand.",
                    null);
        }
        PersistenceUnitInfo unit = factory.getPersistenceUnitInfo();
        if (unit == null) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "The JPA entity manager factory has no persistence unit to read the entities from.",
                    "Let Spring Boot configure JPA (spring-boot-starter-data-jpa), or declare a"
                            + " LocalContainerEntityManagerFactoryBean with a persistence unit.",
                    null);
        }
        Map<String, Object> settings = new HashMap<>(factory.getJpaPropertyMap());
        // Read the database, change nothing: no schema action of the application's own runs here.
        settings.keySet().removeIf(key -> key.contains("hbm2ddl") || key.contains("schema-generation"));
        settings.put("jakarta.persistence.nonJtaDataSource", database);
        settings.put("hibernate.hbm2ddl.auto", "none");
        settings.put("hibernate.format_sql", "false");
        // Compare unique constraints by name only, never drop them (the default drops and creates them again).
        settings.put("hibernate.schema_update.unique_constraint_strategy", "RECREATE_QUIETLY");
        EntityManagerFactoryBuilder builder = Bootstrap.getEntityManagerFactoryBuilder(unit, settings);
        try {
            MetadataImplementor metadata = builder.metadata();
            List<String> statements = update(metadata);
            return compare(database, ignoredTables, metadata, statements);
        } catch (MigratorException ex) {
            throw ex;
        } catch (RuntimeException ex) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "Hibernate could not compare the entities with the database: '"
                            + Redactor.redact(String.valueOf(rootMessage(ex))) + "'.",
                    "Check that the entities map to PostgreSQL (the application starts with them), and that the"
                            + " database is reachable.",
                    ex);
        } finally {
            builder.cancel();
        }
    }

    private static List<String> update(MetadataImplementor metadata) {
        var registry = metadata.getMetadataBuildingOptions().getServiceRegistry();
        Map<String, Object> configuration = new HashMap<>(
                registry.requireService(ConfigurationService.class).getSettings());
        List<String> statements = new ArrayList<>();
        ScriptTargetOutput script = new ScriptTargetOutput() {
            @Override
            public void prepare() {}

            @Override
            public void accept(String command) {
                String statement = command.strip();
                while (statement.endsWith(";")) {
                    statement = statement.substring(0, statement.length() - 1).strip();
                }
                if (!statement.isEmpty()) {
                    statements.add(statement);
                }
            }

            @Override
            public void release() {}
        };
        TargetDescriptor target = new TargetDescriptor() {
            @Override
            public EnumSet<TargetType> getTargetTypes() {
                return EnumSet.of(TargetType.SCRIPT);
            }

            @Override
            public ScriptTargetOutput getScriptTargetOutput() {
                return script;
            }
        };
        ExecutionOptions options = new ExecutionOptions() {
            @Override
            public Map<String, Object> getConfigurationValues() {
                return configuration;
            }

            @Override
            public boolean shouldManageNamespaces() {
                return false;
            }

            @Override
            public org.hibernate.tool.schema.spi.ExceptionHandler getExceptionHandler() {
                return exception -> {
                    throw exception;
                };
            }
        };
        registry.requireService(SchemaManagementTool.class)
                .getSchemaMigrator(configuration)
                .doMigration(metadata, options, contributed -> true, target);
        return statements;
    }

    private static EntityComparison compare(
            DataSource database, Set<String> ignoredTables, Metadata metadata, List<String> statements) {
        Set<String> ignored = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        ignoredTables.forEach(table -> ignored.add(unqualified(table)));
        Map<String, Set<String>> mapped = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Set<String> defaultLength = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (Table table : metadata.collectTableMappings()) {
            if (!table.isPhysicalTable() || table.isAbstract() || table.isView()) {
                continue;
            }
            Set<String> columns = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            for (Column column : table.getColumns()) {
                columns.add(column.getName());
                // Hibernate gives every String field a length, 255 unless the mapping says otherwise.
                if (column.getLength() == null || column.getLength() == DEFAULT_LENGTH) {
                    defaultLength.add(table.getName() + "." + column.getName());
                }
            }
            mapped.computeIfAbsent(table.getName(), name -> new TreeSet<>(String.CASE_INSENSITIVE_ORDER))
                    .addAll(columns);
        }
        Set<String> tables = new LinkedHashSet<>();
        Map<String, List<String>> columns = new LinkedHashMap<>();
        Map<String, String> types = new HashMap<>();
        Map<String, List<Index>> indexes = new HashMap<>();
        try (Connection connection = database.getConnection()) {
            try (PreparedStatement statement = connection.prepareStatement(TABLES);
                    ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    if (!ignored.contains(rs.getString(1))) {
                        tables.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(COLUMNS);
                    ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    columns.computeIfAbsent(rs.getString(1), table -> new ArrayList<>())
                            .add(rs.getString(2));
                    types.put((rs.getString(1) + "." + rs.getString(2)).toLowerCase(Locale.ROOT), rs.getString(3));
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(INDEXES);
                    ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    indexes.computeIfAbsent(rs.getString(1).toLowerCase(Locale.ROOT), table -> new ArrayList<>())
                            .add(new Index(rs.getBoolean(2), columns(rs.getString(3))));
                }
            }
        } catch (SQLException ex) {
            throw new MigratorException(
                    ErrorCode.CONNECTION,
                    "Could not read the tables of the database to compare them with the entities: '"
                            + Redactor.redact(String.valueOf(ex.getMessage())) + "'.",
                    "Check that the database is reachable with the migration login.",
                    ex);
        }
        List<String> tablesWithoutEntity = new ArrayList<>();
        Map<String, List<String>> columnsWithoutField = new TreeMap<>();
        for (String table : tables) {
            Set<String> fields = mapped.get(table);
            if (fields == null) {
                tablesWithoutEntity.add(table);
                continue;
            }
            List<String> unmapped = columns.getOrDefault(table, List.of()).stream()
                    .filter(column -> !fields.contains(column))
                    .toList();
            if (!unmapped.isEmpty()) {
                columnsWithoutField.put(table, unmapped);
            }
        }
        List<String> needed = statements.stream()
                .filter(statement -> !alreadyIndexed(statement, indexes))
                .filter(statement -> !defaultLengthOnly(statement, types, defaultLength))
                .toList();
        return new EntityComparison(needed, tables, tablesWithoutEntity, columnsWithoutField);
    }

    /**
     * Whether an index or unique constraint that Hibernate would create exists already on the same columns under
     * another name: an index with the same columns in the same order, or for a unique one a unique index on the same
     * columns.
     */
    private static boolean alreadyIndexed(String statement, Map<String, List<Index>> indexes) {
        Matcher index = CREATE_INDEX.matcher(statement);
        if (index.matches()) {
            boolean unique = index.group(1) != null;
            List<String> wanted = columns(index.group(4));
            return indexes.getOrDefault(unqualified(index.group(3)), List.of()).stream()
                    .anyMatch(existing -> existing.columns().equals(wanted) && (existing.unique() || !unique));
        }
        Matcher uniqueKey = ADD_UNIQUE.matcher(statement);
        if (uniqueKey.matches()) {
            Set<String> wanted = new TreeSet<>(columns(uniqueKey.group(3)));
            return indexes.getOrDefault(unqualified(uniqueKey.group(1)), List.of()).stream()
                    .anyMatch(existing -> existing.unique() && new TreeSet<>(existing.columns()).equals(wanted));
        }
        return false;
    }

    /**
     * Whether Hibernate would only change a string column to the length it gives a {@code String} field that sets
     * none ({@code varchar(255)}): a mapping default, not a change of the entity. A field with another
     * {@code length}, or a {@code columnDefinition}, is compared.
     */
    private static boolean defaultLengthOnly(String statement, Map<String, String> types, Set<String> defaultLength) {
        Matcher alter = ALTER_TYPE.matcher(statement);
        if (!alter.matches()) {
            return false;
        }
        Matcher length = STRING_WITH_LENGTH.matcher(alter.group(3).strip());
        if (!length.lookingAt()) {
            return false;
        }
        String column = unqualified(alter.group(1)) + "."
                + alter.group(2).replace("\"", "").toLowerCase(Locale.ROOT);
        String current = types.get(column);
        return current != null
                && Long.parseLong(length.group(1)) == DEFAULT_LENGTH
                && defaultLength.contains(column)
                && (current.equals("text") || current.startsWith("character varying"));
    }

    /** The column names of a list such as {@code (a, b desc)} or {@code a,b}, in order. */
    private static List<String> columns(String list) {
        List<String> columns = new ArrayList<>();
        String names = list.strip();
        if (names.startsWith("(") && names.endsWith(")")) {
            names = names.substring(1, names.length() - 1);
        }
        for (String column : names.split(",")) {
            String name = column.strip();
            // "name asc" or "name desc" from @Index(columnList): the direction is not compared.
            int space = name.indexOf(' ');
            if (space > 0) {
                name = name.substring(0, space);
            }
            if (!name.isEmpty()) {
                columns.add(name.replace("\"", "").toLowerCase(Locale.ROOT));
            }
        }
        return columns;
    }

    private static @Nullable String rootMessage(Throwable ex) {
        Throwable cause = ex;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    private record Index(boolean unique, List<String> columns) {}
}
