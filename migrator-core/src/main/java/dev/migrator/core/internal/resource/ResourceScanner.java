package dev.migrator.core.internal.resource;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the files under {@code classpath:} and {@code filesystem:} locations, from directories and
 * jar files alike.
 */
public final class ResourceScanner {

    private static final Logger logger = LoggerFactory.getLogger(ResourceScanner.class);

    private static final String CLASSPATH = "classpath:";

    private static final String FILESYSTEM = "filesystem:";

    private static final Pattern PREFIX = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private final ClassLoader classLoader;

    public ResourceScanner(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /**
     * Read every resource with a suffix in the locations, by path relative to its location (the
     * way Flyway names a script); the first location wins a path found twice.
     *
     * @param locations the locations
     * @param suffix the file name suffix, such as {@code .sql}
     * @return the texts by relative path
     */
    public Map<String, String> readAll(List<String> locations, String suffix) {
        Map<String, String> texts = new java.util.LinkedHashMap<>();
        for (Resource resource : scan(locations, suffix)) {
            texts.putIfAbsent(resource.relativePath(), resource.read());
        }
        return texts;
    }

    /**
     * List the files whose names end with a suffix, in and below each location. A location without a
     * prefix is on the classpath; one that does not exist or holds nothing adds nothing.
     *
     * @param locations the locations, such as {@code classpath:db/data} or {@code filesystem:data}
     * @param suffix the end of the file names to list, such as {@code .sql}
     * @return the files sorted by relative path, each file once even when locations overlap
     * @throws MigratorException for a location with an unknown prefix
     */
    public List<Resource> scan(List<String> locations, String suffix) {
        Map<URI, Resource> found = new LinkedHashMap<>();
        for (String location : locations) {
            List<Resource> resources = scan(location, suffix);
            logger.debug("Found {} file(s) named *{} in '{}'", resources.size(), suffix, location);
            resources.forEach(resource -> found.putIfAbsent(resource.uri(), resource));
        }
        return found.values().stream()
                .sorted(Comparator.comparing(Resource::relativePath))
                .toList();
    }

    private List<Resource> scan(String location, String suffix) {
        if (location.startsWith(FILESYSTEM)) {
            return scanDirectory(location, Path.of(location.substring(FILESYSTEM.length())), suffix);
        }
        if (location.startsWith(CLASSPATH)) {
            return scanClasspath(location, location.substring(CLASSPATH.length()), suffix);
        }
        if (PREFIX.matcher(location).lookingAt()) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "Unknown prefix in location '" + location + "'.",
                    "Write 'classpath:<path>' or 'filesystem:<path>'; a location without a prefix is on the classpath.",
                    null);
        }
        return scanClasspath(CLASSPATH + location, location, suffix);
    }

    private List<Resource> scanClasspath(String location, String path, String suffix) {
        String root = path.replaceAll("^/+|/+$", "");
        List<Resource> resources = new ArrayList<>();
        try {
            for (URL url : Collections.list(this.classLoader.getResources(root))) {
                switch (url.getProtocol()) {
                    case "file" -> resources.addAll(scanDirectory(location, Path.of(toUri(url)), suffix));
                    case "jar" -> resources.addAll(scanJar(location, url, suffix));
                    default ->
                        logger.warn(
                                "Skipping '{}' in '{}': cannot list the files of a {} URL",
                                url,
                                location,
                                url.getProtocol());
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("Could not scan '" + location + "'", ex);
        }
        return resources;
    }

    private static List<Resource> scanDirectory(String location, Path directory, String suffix) {
        if (!Files.isDirectory(directory)) {
            logger.debug("Skipping '{}': '{}' is not a directory", location, directory);
            return List.of();
        }
        try {
            // The real path, because a walk does not descend into a root that is a symbolic link
            Path root = directory.toRealPath();
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(Files::isRegularFile)
                        .filter(file -> file.getFileName().toString().endsWith(suffix))
                        .map(file -> new Resource(location, relativePath(root, file), file.toUri()))
                        .toList();
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("Could not scan '" + location + "'", ex);
        }
    }

    private static String relativePath(Path root, Path file) {
        return root.relativize(file).toString().replace(root.getFileSystem().getSeparator(), "/");
    }

    private static List<Resource> scanJar(String location, URL url, String suffix) throws IOException {
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        // A cached jar file would stay open after the scan and hide a jar replaced on disk
        connection.setUseCaches(false);
        String entry = connection.getEntryName();
        String prefix = (entry == null || entry.isEmpty()) ? "" : entry.replaceAll("/+$", "") + "/";
        String base = url.toString().replaceAll("/+$", "") + "/";
        try (JarFile jar = connection.getJarFile()) {
            return jar.stream()
                    .filter(e -> !e.isDirectory()
                            && e.getName().startsWith(prefix)
                            && e.getName().endsWith(suffix))
                    .map(e -> e.getName().substring(prefix.length()))
                    .map(relativePath -> new Resource(location, relativePath, URI.create(base + encode(relativePath))))
                    .toList();
        }
    }

    private static URI toUri(URL url) {
        try {
            return url.toURI();
        } catch (URISyntaxException ex) {
            throw new IllegalStateException("Class loader returned a malformed URL '" + url + "'", ex);
        }
    }

    private static String encode(String relativePath) {
        try {
            return new URI(null, null, relativePath, null).toASCIIString();
        } catch (URISyntaxException ex) {
            throw new IllegalStateException("Cannot encode '" + relativePath + "' in a URI", ex);
        }
    }

    /**
     * A file found under a location.
     *
     * @param location the location it was found in, with its prefix
     * @param relativePath its path below the location, with {@code /} between folders
     * @param uri where to read it
     */
    public record Resource(String location, String relativePath, URI uri) {

        /** Return the file name, the last part of the relative path. */
        public String fileName() {
            return this.relativePath.substring(this.relativePath.lastIndexOf('/') + 1);
        }

        /**
         * Read the content as UTF-8.
         *
         * @return the content
         * @throws UncheckedIOException when the file cannot be read or is not valid UTF-8
         */
        public String read() {
            try {
                URLConnection connection = this.uri.toURL().openConnection();
                connection.setUseCaches(false);
                try (InputStream in = connection.getInputStream()) {
                    return StandardCharsets.UTF_8
                            .newDecoder()
                            .decode(ByteBuffer.wrap(in.readAllBytes()))
                            .toString();
                }
            } catch (IOException ex) {
                throw new UncheckedIOException("Could not read '" + this.uri + "' as UTF-8", ex);
            }
        }
    }
}
