package dev.migrator.autoconfigure.generate;

import java.util.Set;
import javax.sql.DataSource;

/**
 * The application's entities as its JPA provider maps them, compared with a database. migrator auto-configures one
 * when Hibernate and a JPA entity manager factory are in the context; {@code migrator.command=generate} and
 * {@code MigrationTester.assertEntitiesMatchMigrations()} use it.
 *
 * @since 0.4.0
 */
public interface EntityModel {

    /**
     * Compare the entities with a database: what the provider's schema update would run on it, and what the database
     * has that no entity maps.
     *
     * @param database the database, which is only read
     * @param ignoredTables tables to leave out of the comparison (migrator's and Flyway's history tables)
     * @return the comparison
     */
    EntityComparison compareWith(DataSource database, Set<String> ignoredTables);

    /**
     * The entities of a JPA persistence unit, as Hibernate maps them.
     *
     * @param entityManagerFactory the factory bean that Spring Boot configures for JPA, looked up when the model is
     *     used; {@code null} when the application has none
     * @return the model
     */
    static EntityModel hibernate(
            java.util.function.Supplier<
                            org.springframework.orm.jpa.@org.jspecify.annotations.Nullable
                            LocalContainerEntityManagerFactoryBean>
                    entityManagerFactory) {
        return new HibernateEntityModel(entityManagerFactory);
    }
}
