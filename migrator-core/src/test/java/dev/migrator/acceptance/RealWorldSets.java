package dev.migrator.acceptance;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;

/**
 * Finds the third-party migration sets of {@code shared/realworld}, which live beside the project rather than in it.
 */
final class RealWorldSets {

    private static final String DIR_PROPERTY = "migrator.realworld.dir";

    private RealWorldSets() {}

    /**
     * Returns the folder of the named set, or skips the calling test when it is absent: a checkout without the shared
     * folder cannot run these tests, but must not report them as passed.
     *
     * @param name the folder name, for example {@code MarquezProject__marquez}
     * @return the absolute folder
     */
    static Path assumePresent(String name) {
        Path folder = root().resolve(name);
        assumeThat(folder)
                .as(
                        "Real-world migration set '%s' (set system property '%s' to the folder that holds it)",
                        folder, DIR_PROPERTY)
                .isDirectory();
        return folder;
    }

    private static Path root() {
        String configured = System.getProperty(DIR_PROPERTY);
        // Without the property (an IDE run, say) the working directory is the module, two levels below shared/.
        Path root = (configured == null || configured.isBlank())
                ? Path.of("..", "..", "shared", "realworld")
                : Path.of(configured);
        return root.toAbsolutePath().normalize();
    }
}
