package dev.migrator.test.autoconfigure;

import dev.migrator.autoconfigure.MigratorCustomizer;
import dev.migrator.autoconfigure.MigratorProperties;
import dev.migrator.core.MigratorSettings;
import dev.migrator.core.data.DataMigration;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.util.ClassUtils;

/**
 * The key of a template database: a SHA-256 hash of everything a migrated database depends on, computed before any
 * bean is created, so the {@code DataSource} can be chosen without a cycle through the Java migrations that need it.
 *
 * <p>Inputs: the effective {@code migrator.*} settings; the path and content of every file under the schema and data
 * locations; for each {@code DataMigration}, Flyway {@code JavaMigration} and {@code MigratorCustomizer} bean
 * definition its class (for a {@code @Bean} method, the configuration class) and the bytes of every class of that
 * package from the same classpath root, so that a helper next to a migration counts too; and the effective raw values
 * of the application's properties, since a Java migration may read any of them, except those that cannot change what
 * the migrations write.
 *
 * @param hex the hash in hexadecimal
 * @param summary what went into it, for logs
 */
record TemplateKey(String hex, String summary) {

    private static final String FORMAT = "migrator-test template 1";

    private static final Set<String> IGNORED_SOURCES = Set.of(
            StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            "random",
            "applicationInfo",
            "server.ports",
            "configurationProperties",
            "Dynamic Test Properties");

    private static final List<String> IGNORED_PREFIXES = List.of(
            "spring.datasource.", "migrator.test.", "logging.", "spring.test.", "spring.jmx.", "debug", "trace");

    private static final List<Class<?>> MIGRATION_TYPES =
            List.of(DataMigration.class, JavaMigration.class, MigratorCustomizer.class);

    static TemplateKey of(
            ConfigurableEnvironment environment, ConfigurableListableBeanFactory beanFactory, ClassLoader classLoader) {
        Digest digest = new Digest();
        digest.add(FORMAT);
        MigratorProperties properties = Binder.get(environment).bindOrCreate("migrator", MigratorProperties.class);
        MigratorProperties.Schema schema = properties.getSchema();
        MigratorProperties.Data data = properties.getData();
        digest.add("schema " + schema.getLocations() + " " + schema.getTable() + " " + schema.getSchemas() + " "
                + schema.getTarget() + " " + schema.isBaselineOnMigrate() + " " + schema.getBaselineVersion() + " "
                + new TreeMap<>(schema.getPlaceholders()) + " " + schema.isOutOfOrder());
        digest.add("data " + data.isEnabled() + " " + data.getLocations() + " " + data.getPrefix() + " "
                + data.getOrdering() + " " + data.getTable() + " " + data.getTarget());
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(classLoader);
        int schemaFiles = files(digest, resolver, "schema", schema.getLocations());
        int dataFiles = data.isEnabled() ? files(digest, resolver, "data", data.getLocations()) : 0;
        // The template holds every migration set: the files of each named set key it too.
        Binder binder = Binder.get(environment);
        for (Map.Entry<String, MigratorProperties.Set> set :
                properties.getSets().entrySet()) {
            MigratorSettings settings = set.getValue().settings(set.getKey(), binder);
            digest.add("set " + set.getKey() + " " + settings);
            schemaFiles += files(digest, resolver, set.getKey() + " schema", settings.schemaLocations());
            if (settings.dataEnabled()) {
                dataFiles += files(digest, resolver, set.getKey() + " data", settings.dataLocations());
            }
        }
        int classes = classes(digest, resolver, beanFactory, classLoader);
        int values = properties(digest, environment);
        // A template passed the analysis at its own threshold: a stricter one must build and analyse its own.
        digest.add("analysis fail-on "
                + environment
                        .getProperty(TemplateFindings.FAIL_ON, "error")
                        .strip()
                        .toLowerCase(java.util.Locale.ROOT));
        return new TemplateKey(
                digest.hex(),
                schemaFiles + " schema file(s), " + dataFiles + " data file(s), " + classes + " migration class(es), "
                        + values + " propert(ies)");
    }

    private static int files(
            Digest digest, PathMatchingResourcePatternResolver resolver, String track, List<String> locations) {
        int count = 0;
        for (String location : locations) {
            SortedMap<String, Resource> files = new TreeMap<>();
            String root;
            String pattern;
            if (location.startsWith("filesystem:")) {
                Path directory = Path.of(location.substring("filesystem:".length()))
                        .toAbsolutePath()
                        .normalize();
                root = directory.toUri().toString();
                pattern = root + (root.endsWith("/") ? "" : "/") + "**/*";
            } else {
                String path = (location.startsWith("classpath:") ? location.substring("classpath:".length()) : location)
                        .replaceAll("^/+|/+$", "");
                root = "/" + path + "/";
                pattern = "classpath*:" + path + "/**/*";
            }
            try {
                for (Resource resource : resolver.getResources(pattern)) {
                    String url = resource.getURL().toString();
                    if (url.endsWith("/") || !resource.isReadable() || isDirectory(resource)) {
                        continue;
                    }
                    int at = url.lastIndexOf(root);
                    String relative = (at >= 0) ? url.substring(at + root.length()) : url;
                    files.putIfAbsent(relative.replaceFirst("^/+", ""), resource);
                }
                for (Map.Entry<String, Resource> file : files.entrySet()) {
                    try (InputStream in = file.getValue().getInputStream()) {
                        digest.add(track + " file " + location + " " + file.getKey());
                        digest.add(in.readAllBytes());
                    }
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(
                        "Could not read the migrations in '" + location + "' to key the template database", ex);
            }
            count += files.size();
        }
        return count;
    }

    private static boolean isDirectory(Resource resource) {
        try {
            return resource.isFile() && resource.getFile().isDirectory();
        } catch (IOException ex) {
            return false;
        }
    }

    private static int classes(
            Digest digest,
            PathMatchingResourcePatternResolver resolver,
            ConfigurableListableBeanFactory beanFactory,
            ClassLoader classLoader) {
        Set<String> classNames = new TreeSet<>();
        for (Class<?> type : MIGRATION_TYPES) {
            for (String name : beanFactory.getBeanNamesForType(type, true, false)) {
                Class<?> beanClass = beanFactory.getType(name, false);
                if (beanClass != null) {
                    classNames.add(ClassUtils.getUserClass(beanClass).getName());
                }
                String configuration = declaringClass(beanFactory, name);
                if (configuration != null) {
                    classNames.add(configuration);
                }
            }
        }
        Set<String> hashed = new TreeSet<>();
        for (String className : classNames) {
            digest.add("class " + className);
            Class<?> type = ClassUtils.resolveClassName(className, classLoader);
            for (Map.Entry<String, byte[]> file : packageClasses(resolver, type).entrySet()) {
                if (hashed.add(file.getKey())) {
                    digest.add("class file " + file.getKey());
                    digest.add(file.getValue());
                }
            }
        }
        return classNames.size();
    }

    private static @Nullable String declaringClass(ConfigurableListableBeanFactory beanFactory, String name) {
        if (!beanFactory.containsBeanDefinition(name)) {
            return null;
        }
        BeanDefinition definition = beanFactory.getMergedBeanDefinition(name);
        String factoryBean = definition.getFactoryBeanName();
        if (factoryBean != null && beanFactory.containsBeanDefinition(factoryBean)) {
            Class<?> type = beanFactory.getType(factoryBean, false);
            return (type != null) ? ClassUtils.getUserClass(type).getName() : null;
        }
        if (definition instanceof AbstractBeanDefinition bean
                && definition.getFactoryMethodName() != null
                && bean.hasBeanClass()) {
            return bean.getBeanClass().getName();
        }
        return null;
    }

    /** The class files of the type's package that come from the type's own classpath root. */
    private static SortedMap<String, byte[]> packageClasses(
            PathMatchingResourcePatternResolver resolver, Class<?> type) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        String path = type.getPackageName().replace('.', '/');
        CodeSource source = type.getProtectionDomain().getCodeSource();
        URL root = (source != null) ? source.getLocation() : null;
        try {
            for (Resource resource :
                    resolver.getResources("classpath*:" + (path.isEmpty() ? "" : path + "/") + "*.class")) {
                String url = resource.getURL().toString();
                if (root == null || url.contains(root.toString())) {
                    try (InputStream in = resource.getInputStream()) {
                        files.put(path + "/" + resource.getFilename(), in.readAllBytes());
                    }
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(
                    "Could not read the classes of '" + type.getName() + "' to key the template database", ex);
        }
        return files;
    }

    private static int properties(Digest digest, ConfigurableEnvironment environment) {
        SortedMap<String, String> values = new TreeMap<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (IGNORED_SOURCES.contains(source.getName())
                    || !(source instanceof EnumerablePropertySource<?> enumerable)) {
                continue;
            }
            for (String name : enumerable.getPropertyNames()) {
                if (IGNORED_PREFIXES.stream().noneMatch(name::startsWith)) {
                    // The first source wins, as in the environment; the raw value, so placeholders stay stable.
                    values.putIfAbsent(name, String.valueOf(enumerable.getProperty(name)));
                }
            }
        }
        values.forEach((name, value) -> digest.add("property " + name + "=" + value));
        return values.size();
    }

    @Override
    public String toString() {
        return this.hex;
    }

    private static final class Digest {

        private final MessageDigest sha;

        Digest() {
            try {
                this.sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException("This JVM has no SHA-256", ex);
            }
        }

        void add(String text) {
            add(text.getBytes(StandardCharsets.UTF_8));
        }

        void add(byte[] bytes) {
            // Length first, so that no two sequences of inputs hash alike by shifting bytes between them.
            this.sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
            this.sha.update((byte) ':');
            this.sha.update(bytes);
        }

        String hex() {
            return HexFormat.of().formatHex(this.sha.digest());
        }
    }
}
