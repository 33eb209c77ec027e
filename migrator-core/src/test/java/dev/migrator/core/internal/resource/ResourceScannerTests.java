package dev.migrator.core.internal.resource;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.migrator.core.MigratorException;
import dev.migrator.core.internal.resource.ResourceScanner.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceScannerTests {

    private final ResourceScanner scanner = new ResourceScanner(getClass().getClassLoader());

    @TempDir
    Path temp;

    @Test
    void classpathDirectoryIsScannedRecursivelyAndSortedByRelativePath() {
        List<Resource> resources = this.scanner.scan(List.of("classpath:scanner/data"), ".sql");

        assertThat(resources)
                .extracting(Resource::location, Resource::relativePath, Resource::fileName)
                .containsExactly(
                        tuple("classpath:scanner/data", "D1__first.sql", "D1__first.sql"),
                        tuple("classpath:scanner/data", "R__cities.sql", "R__cities.sql"),
                        tuple("classpath:scanner/data", "sub/D2__second.sql", "D2__second.sql"));
    }

    @Test
    void locationWithoutPrefixIsOnTheClasspath() {
        assertThat(this.scanner.scan(List.of("scanner/data"), ".sql"))
                .extracting(Resource::location, Resource::relativePath)
                .containsExactly(
                        tuple("classpath:scanner/data", "D1__first.sql"),
                        tuple("classpath:scanner/data", "R__cities.sql"),
                        tuple("classpath:scanner/data", "sub/D2__second.sql"));
    }

    @Test
    void slashesAroundClasspathLocationAreIgnored() {
        assertThat(this.scanner.scan(List.of("classpath:/scanner/data/"), ".sql"))
                .extracting(Resource::relativePath)
                .containsExactly("D1__first.sql", "R__cities.sql", "sub/D2__second.sql");
    }

    @Test
    void readGivesContentAsUtf8() {
        Resource cities = this.scanner
                .scan(List.of("classpath:scanner/data"), "R__cities.sql")
                .get(0);

        assertThat(cities.read()).isEqualTo("INSERT INTO city (name) VALUES ('Zürich');\n");
    }

    @Test
    void readRejectsContentThatIsNotUtf8() throws IOException {
        Files.write(this.temp.resolve("D1__latin1.sql"), "SELECT 'Zürich';".getBytes(ISO_8859_1));
        Resource resource =
                this.scanner.scan(List.of("filesystem:" + this.temp), ".sql").get(0);

        assertThatExceptionOfType(UncheckedIOException.class)
                .isThrownBy(resource::read)
                .withMessageContaining("D1__latin1.sql")
                .withMessageContaining("as UTF-8");
    }

    @Test
    void filesystemLocationIsScannedRecursively() throws IOException {
        write(this.temp.resolve("data/D1__a.sql"), "SELECT 1;");
        write(this.temp.resolve("data/b/c/D2__b.sql"), "SELECT 2;");
        write(this.temp.resolve("data/D3__c.txt"), "SELECT 3;");
        String location = "filesystem:" + this.temp.resolve("data");

        List<Resource> resources = this.scanner.scan(List.of(location), ".sql");

        assertThat(resources)
                .extracting(Resource::location, Resource::relativePath, Resource::read)
                .containsExactly(
                        tuple(location, "D1__a.sql", "SELECT 1;"), tuple(location, "b/c/D2__b.sql", "SELECT 2;"));
    }

    @Test
    void relativeFilesystemLocationIsResolvedFromTheWorkingDirectory() {
        assertThat(this.scanner.scan(List.of("filesystem:src/test/resources/scanner/data"), ".sql"))
                .extracting(Resource::relativePath)
                .containsExactly("D1__first.sql", "R__cities.sql", "sub/D2__second.sql");
    }

    @Test
    void filesystemLocationThatIsASymbolicLinkIsFollowed() throws IOException {
        write(this.temp.resolve("real/D1__a.sql"), "SELECT 1;");
        Path link = Files.createSymbolicLink(this.temp.resolve("link"), this.temp.resolve("real"));

        assertThat(this.scanner.scan(List.of("filesystem:" + link), ".sql"))
                .extracting(Resource::relativePath)
                .containsExactly("D1__a.sql");
    }

    @Test
    void missingFilesystemLocationGivesNothing() {
        assertThat(this.scanner.scan(List.of("filesystem:" + this.temp.resolve("missing")), ".sql"))
                .isEmpty();
    }

    @Test
    void classpathLocationWithNothingInItGivesNothing() {
        assertThat(this.scanner.scan(List.of("classpath:scanner/missing"), ".sql"))
                .isEmpty();
        assertThat(this.scanner.scan(List.of("classpath:scanner/data"), ".yaml"))
                .isEmpty();
    }

    @Test
    void classpathLocationInJarIsScannedRecursively() throws IOException {
        Path jar = jar(
                this.temp.resolve("migrations.jar"),
                Map.of(
                        "db/data/D1__a.sql", "SELECT 1;",
                        "db/data/sub/D2__#2 with space, 100% ü.sql", "SELECT 'Zürich';",
                        "db/data/notes.txt", "not a migration",
                        "db/database/D8__beside.sql", "SELECT 8;",
                        "db/D9__above.sql", "SELECT 9;"));

        try (URLClassLoader classLoader =
                new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            List<Resource> resources = new ResourceScanner(classLoader).scan(List.of("classpath:db/data"), ".sql");

            assertThat(resources)
                    .extracting(Resource::location, Resource::relativePath, Resource::fileName, Resource::read)
                    .containsExactly(
                            tuple("classpath:db/data", "D1__a.sql", "D1__a.sql", "SELECT 1;"),
                            tuple(
                                    "classpath:db/data",
                                    "sub/D2__#2 with space, 100% ü.sql",
                                    "D2__#2 with space, 100% ü.sql",
                                    "SELECT 'Zürich';"));
        }
    }

    @Test
    void sameRelativePathInDirectoryAndJarIsListedFromBoth() throws IOException {
        write(this.temp.resolve("classes/db/data/D1__a.sql"), "SELECT 'directory';");
        write(this.temp.resolve("classes/db/data/D3__c.sql"), "SELECT 3;");
        Path jar = jar(
                this.temp.resolve("migrations.jar"),
                Map.of("db/data/D1__a.sql", "SELECT 'jar';", "db/data/D2__b.sql", "SELECT 2;"));
        URL[] roots = {this.temp.resolve("classes").toUri().toURL(), jar.toUri().toURL()};

        try (URLClassLoader classLoader = new URLClassLoader(roots, null)) {
            List<Resource> resources = new ResourceScanner(classLoader).scan(List.of("db/data"), ".sql");

            assertThat(resources)
                    .extracting(Resource::relativePath, Resource::read)
                    .containsExactly(
                            tuple("D1__a.sql", "SELECT 'directory';"),
                            tuple("D1__a.sql", "SELECT 'jar';"),
                            tuple("D2__b.sql", "SELECT 2;"),
                            tuple("D3__c.sql", "SELECT 3;"));
        }
    }

    @Test
    void fileReachedFromOverlappingLocationsIsListedOnceFromTheFirst() {
        List<Resource> resources = this.scanner.scan(
                List.of("classpath:scanner/data/sub", "classpath:scanner/data", "scanner/data"), ".sql");

        assertThat(resources)
                .extracting(Resource::location, Resource::relativePath)
                .containsExactly(
                        tuple("classpath:scanner/data", "D1__first.sql"),
                        tuple("classpath:scanner/data/sub", "D2__second.sql"),
                        tuple("classpath:scanner/data", "R__cities.sql"));
    }

    @Test
    void locationWithUnknownPrefixIsRejected() {
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> this.scanner.scan(List.of("s3:bucket/data"), ".sql"))
                .withMessage("Unknown prefix in location 's3:bucket/data'. Write 'classpath:<path>' or"
                        + " 'filesystem:<path>'; a location without a prefix is on the classpath.");
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** Write a jar with an entry for each folder, as the jar tool and Maven do. */
    private static Path jar(Path file, Map<String, String> files) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file))) {
            for (String folder : folders(files.keySet())) {
                out.putNextEntry(new JarEntry(folder));
                out.closeEntry();
            }
            for (Map.Entry<String, String> entry : files.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(UTF_8));
                out.closeEntry();
            }
        }
        return file;
    }

    private static List<String> folders(Set<String> paths) {
        return paths.stream()
                .flatMap(path -> {
                    List<String> parents = new ArrayList<>();
                    for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                        parents.add(path.substring(0, slash + 1));
                    }
                    return parents.stream();
                })
                .distinct()
                .toList();
    }
}
