package dev.migrator.autoconfigure.command;

import dev.migrator.core.Migrator;
import dev.migrator.core.analysis.Finding;
import dev.migrator.core.analysis.Rule;
import dev.migrator.core.analysis.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * The findings of {@code lint} as a SARIF 2.1.0 log, the format code scanning tools read: one run per
 * migration set, every rule with why and the safe form, one result per finding at its script (and
 * line, for a static finding), an allowed finding as a suppression with its reason.
 *
 * <p>A script in a {@code classpath:} location is given relative to the {@code CLASSPATH} base, which
 * the log maps to {@code <source-root>src/main/resources/}; a Java migration relative to
 * {@code JAVA_SOURCES}, mapped to {@code <source-root>src/main/java/}; a script in a
 * {@code filesystem:} location by its path from the working directory, or its absolute URI when it
 * lies elsewhere.
 */
final class SarifOutput {

    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private static final Pattern LINE = Pattern.compile("line (\\d+)");

    private final ResourcePatternResolver resolver;

    private final String sourceRoot;

    /**
     * Create the output.
     *
     * @param classLoader where {@code classpath:} locations are searched
     * @param sourceRoot the module's folder from the repository root, empty or ending with {@code /}
     */
    SarifOutput(ClassLoader classLoader, String sourceRoot) {
        this.resolver = new PathMatchingResourcePatternResolver(classLoader);
        this.sourceRoot = sourceRoot;
    }

    /** A SARIF log of runs. */
    static Map<String, Object> log(List<Map<String, Object>> runs) {
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("version", "2.1.0");
        log.put("$schema", SCHEMA);
        log.put("runs", runs);
        return log;
    }

    /**
     * The run of one set.
     *
     * @param set the set's name
     * @param migrator the set's migrator, for its locations
     * @param findings what lint found
     */
    Map<String, Object> run(String set, Migrator migrator, List<Finding> findings) {
        List<String> locations = new ArrayList<>(migrator.settings().schemaLocations());
        locations.addAll(migrator.settings().dataLocations());
        Map<String, Optional<Map<String, Object>>> artifacts = new HashMap<>();
        List<Object> results = new ArrayList<>();
        for (Finding finding : findings) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ruleId", finding.rule().id());
            result.put("ruleIndex", finding.rule().ordinal());
            result.put("level", level(finding.severity()));
            result.put(
                    "message",
                    Map.of(
                            "text",
                            finding.detail() + " on " + finding.object() + " in " + finding.migration() + ". "
                                    + finding.rule().why() + " Safe form: "
                                    + finding.rule().safeForm()));
            Map<String, Object> location = new LinkedHashMap<>();
            artifacts
                    .computeIfAbsent(finding.migration(), name -> artifact(name, locations))
                    .ifPresent(artifact -> {
                        Map<String, Object> physical = new LinkedHashMap<>();
                        physical.put("artifactLocation", artifact);
                        line(finding).ifPresent(line -> physical.put("region", Map.of("startLine", line)));
                        location.put("physicalLocation", physical);
                    });
            location.put(
                    "logicalLocations",
                    List.of(Map.of("fullyQualifiedName", finding.migration() + "/" + finding.object())));
            result.put("locations", List.of(location));
            result.put("partialFingerprints", Map.of("migratorFinding/v1", fingerprint(finding)));
            finding.allowed()
                    .ifPresent(reason ->
                            result.put("suppressions", List.of(Map.of("kind", "inSource", "justification", reason))));
            results.add(result);
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "migrator");
        driver.put("rules", Arrays.stream(Rule.values()).map(SarifOutput::rule).toList());
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", Map.of("driver", driver));
        run.put("automationDetails", Map.of("id", "migrator/lint/" + set + "/"));
        run.put(
                "originalUriBaseIds",
                Map.of(
                        "CLASSPATH", Map.of("uri", this.sourceRoot + "src/main/resources/"),
                        "JAVA_SOURCES", Map.of("uri", this.sourceRoot + "src/main/java/")));
        run.put("results", results);
        return run;
    }

    private static Map<String, Object> rule(Rule rule) {
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("id", rule.id());
        descriptor.put("shortDescription", Map.of("text", rule.why()));
        descriptor.put("help", Map.of("text", "Safe form: " + rule.safeForm()));
        descriptor.put("defaultConfiguration", Map.of("level", level(rule.severity())));
        return descriptor;
    }

    private static String level(Severity severity) {
        return switch (severity) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO -> "note";
        };
    }

    private static Optional<Integer> line(Finding finding) {
        Matcher matcher = LINE.matcher(finding.object());
        return matcher.matches() ? Optional.of(Integer.valueOf(matcher.group(1))) : Optional.empty();
    }

    /** Stable across runs and line moves: the rule, the migration and the object it concerns. */
    private static String fingerprint(Finding finding) {
        String object = LINE.matcher(finding.object()).matches() ? finding.detail() : finding.object();
        return finding.rule().id() + ":" + finding.migration() + ":" + object;
    }

    /** Where a migration's source is, as a SARIF artifact location; empty when it cannot be found. */
    private Optional<Map<String, Object>> artifact(String migration, List<String> locations) {
        if (!migration.endsWith(".sql")) {
            // A Java migration, named by its class.
            String outer = migration.contains("$") ? migration.substring(0, migration.indexOf('$')) : migration;
            return Optional.of(Map.of("uri", outer.replace('.', '/') + ".java", "uriBaseId", "JAVA_SOURCES"));
        }
        for (String location : locations) {
            Optional<Map<String, Object>> found = location.startsWith("filesystem:")
                    ? onFilesystem(location.substring("filesystem:".length()), migration)
                    : onClasspath(
                            location.startsWith("classpath:") ? location.substring("classpath:".length()) : location,
                            migration);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private Optional<Map<String, Object>> onClasspath(String folder, String script) {
        String base = trimSlashes(folder);
        try {
            for (Resource resource : this.resolver.getResources("classpath*:" + base + "/**/" + script)) {
                String url = resource.getURL().toString();
                int at = url.lastIndexOf("/" + base + "/");
                if (at >= 0) {
                    return Optional.of(Map.of("uri", url.substring(at + 1), "uriBaseId", "CLASSPATH"));
                }
            }
        } catch (IOException ex) {
            // Not found there: the next location, or no physical location.
        }
        return Optional.empty();
    }

    private static Optional<Map<String, Object>> onFilesystem(String folder, String script) {
        Path root = Path.of(folder);
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(path -> path.getFileName().toString().equals(script))
                    .findFirst()
                    .map(SarifOutput::uri);
        } catch (IOException | UncheckedIOException ex) {
            return Optional.empty();
        }
    }

    private static Map<String, Object> uri(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path here = Path.of("").toAbsolutePath();
        if (absolute.startsWith(here)) {
            return Map.of("uri", here.relativize(absolute).toString().replace('\\', '/'));
        }
        return Map.of("uri", absolute.toUri().toString());
    }

    private static String trimSlashes(String folder) {
        String trimmed = folder;
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    /** The source root as the log wants it: empty, or a folder ending with one slash. */
    static String sourceRoot(@Nullable String root) {
        if (root == null || root.isBlank()) {
            return "";
        }
        String trimmed = trimSlashes(root.strip().replace('\\', '/'));
        return trimmed.isEmpty() ? "" : trimmed + "/";
    }
}
