package dev.migrator.test.autoconfigure;

import dev.migrator.test.autoconfigure.MigratorTest.Refresh;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Annotation that gives a test context a fresh, migrated PostgreSQL database as its {@code DataSource}, with JDBC,
 * transactions, migrator and a {@link MigrationTester}. {@link MigratorTest @MigratorTest} carries it; another slice,
 * such as {@code @DataJpaTest}, or {@code @SpringBootTest} can use it directly, together with
 * {@code @AutoConfigureTestDatabase(replace = Replace.NONE)} so that Boot does not swap the database for an embedded
 * H2 one.
 *
 * <p>The migrations run into a template database once per key; the key is a hash of everything the migrated database
 * depends on: the {@code migrator.*} settings, every file under the schema and data locations, the classes (and the
 * other classes of their packages) of {@code DataMigration}, Flyway {@code JavaMigration} and
 * {@code MigratorCustomizer} beans, and the application's properties except {@code spring.datasource.*},
 * {@code migrator.test.*}, {@code logging.*}, system properties and environment variables. Any change to one of
 * those migrates a new template; an unchanged set reuses the template, on a server that outlives the JVM even across
 * runs.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureMigratorTest {

    /**
     * When the database under the context is replaced with a fresh clone.
     *
     * @return the refresh mode, {@link Refresh#PER_CLASS} by default
     */
    Refresh refresh() default Refresh.PER_CLASS;
}
