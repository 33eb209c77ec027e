package dev.migrator.core.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The migration sets of the data trials: a schema with 100 items to backfill (each with a counter
 * that {@link dev.migrator.core.data.D2__CountEachItemOnce} raises) and a tally, and transactional
 * SQL data migrations that each add one to their own tally row. A counter or tally above 1 is work
 * done twice.
 */
final class TrialSets {

    private TrialSets() {}

    /** Write the schema set into a new folder below {@code parent} and return that folder. */
    static Path itemsAndTally(Path parent, String name) throws IOException {
        Path folder = Files.createDirectories(parent.resolve(name));
        Files.writeString(
                folder.resolve("V1__create_item_and_tally.sql"),
                "CREATE TABLE item (id bigint PRIMARY KEY, counter int NOT NULL DEFAULT 0);"
                        + " INSERT INTO item (id) SELECT generate_series(1, 100);"
                        + " CREATE TABLE tally (name text PRIMARY KEY, n int NOT NULL DEFAULT 0);");
        return folder;
    }

    /** Write one tallying data migration per version into a new folder below {@code parent} and return it. */
    static Path tallies(Path parent, String name, int... versions) throws IOException {
        Path folder = Files.createDirectories(parent.resolve(name));
        for (int version : versions) {
            Files.writeString(
                    folder.resolve("D" + version + "__tally_" + version + ".sql"),
                    "INSERT INTO tally (name) VALUES ('D" + version + "') ON CONFLICT DO NOTHING;\n"
                            + "UPDATE tally SET n = n + 1 WHERE name = 'D" + version + "';\n"
                            + "SELECT pg_sleep(0.05);\n");
        }
        return folder;
    }
}
