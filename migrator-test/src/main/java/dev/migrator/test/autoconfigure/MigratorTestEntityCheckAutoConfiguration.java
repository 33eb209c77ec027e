package dev.migrator.test.autoconfigure;

import dev.migrator.autoconfigure.MigratorAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * With {@code @MigratorTest(checkEntities = true)}: Hibernate's JPA auto-configuration in the slice (a slice that has
 * it already, such as {@code @DataJpaTest}, keeps its own), and the entity check once the context is ready. Comes after
 * the test's {@code DataSource} is defined.
 *
 * @since 0.4.0
 */
@AutoConfiguration(
        after = {MigratorTestAutoConfiguration.class, MigratorAutoConfiguration.class},
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBooleanProperty(EntityCheck.CHECK)
@ConditionalOnClass(name = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
@ImportAutoConfiguration(HibernateJpaAutoConfiguration.class)
public final class MigratorTestEntityCheckAutoConfiguration {

    @Bean
    EntityCheck migratorTestEntityCheck(MigrationTester tester) {
        return new EntityCheck(tester);
    }
}
