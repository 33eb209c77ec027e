package dev.migrator.core.internal.schema;

import dev.migrator.core.internal.resource.ResourceScanner;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The texts of the SQL scripts in the schema locations, read once per run, when a migration first
 * needs one: the change analysis reads a migration's directives from it, the session settings
 * whether it may change the history table.
 */
final class ScriptTexts {

    private final ResourceScanner scanner;

    private final List<String> locations;

    private @Nullable Map<String, String> texts;

    ScriptTexts(ResourceScanner scanner, List<String> locations) {
        this.scanner = scanner;
        this.locations = List.copyOf(locations);
    }

    /** Return every script's text by its path relative to its location, as Flyway names scripts. */
    Map<String, String> all() {
        Map<String, String> texts = this.texts;
        if (texts == null) {
            texts = this.scanner.readAll(this.locations, ".sql");
            this.texts = texts;
        }
        return texts;
    }

    /** Return the text of a script, or {@code null} when it is not a SQL file of the locations. */
    @Nullable
    String of(String script) {
        return all().get(script);
    }
}
