package dev.migrator.autoconfigure.generate;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a database differs from the entities: the statements the JPA provider's schema update would run on it (never a
 * drop, never a rename, never a changed column type), and what the database has that no entity maps.
 *
 * @param statements the statements that would bring the database to the entities, in order, without a trailing
 *     semicolon; empty when the entities match
 * @param tables the tables of the database, history tables left out
 * @param tablesWithoutEntity tables of the database that no entity maps
 * @param columnsWithoutField for each table that an entity maps, its columns that no field maps
 * @since 0.4.0
 */
public record EntityComparison(
        List<String> statements,
        Set<String> tables,
        List<String> tablesWithoutEntity,
        Map<String, List<String>> columnsWithoutField) {

    /**
     * Create a comparison.
     *
     * @param statements the statements
     * @param tables the tables of the database
     * @param tablesWithoutEntity tables no entity maps
     * @param columnsWithoutField columns no field maps, by table
     */
    public EntityComparison {
        statements = List.copyOf(statements);
        tables = Set.copyOf(tables);
        tablesWithoutEntity = List.copyOf(tablesWithoutEntity);
        columnsWithoutField = Map.copyOf(columnsWithoutField);
    }

    /**
     * Whether the entities match the database: the schema update would run nothing.
     *
     * @return {@code true} when there is no statement to run
     */
    public boolean matches() {
        return this.statements.isEmpty();
    }
}
