package dev.migrator.test.autoconfigure;

import dev.migrator.test.autoconfigure.example.Example;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.PropertySource;

/**
 * The application that the slice tests of this package find: its component scan covers the example package (two Java
 * migrations and a service the slice must leave out) and its properties point migrator at the example migrations.
 */
@SpringBootApplication(scanBasePackageClasses = Example.class)
@PropertySource("classpath:example/example.properties")
class ExampleApplication {}
