package dev.migrator.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a set of small, realistic schema migrations: each table is created, gets a few rows, a new
 * column and an index, in four migrations.
 */
final class MigrationScripts {

    private MigrationScripts() {}

    /**
     * Write {@code count} migrations {@code V1} to {@code V<count>} into a new directory under
     * {@code parent}.
     *
     * @return the {@code filesystem:} location of the directory
     */
    static String write(Path parent, String name, int count) throws IOException {
        Path directory = Files.createDirectories(parent.resolve(name));
        for (int version = 1; version <= count; version++) {
            int table = (version + 3) / 4;
            String tableName = "item_" + table;
            String description;
            String sql;
            switch (version % 4) {
                case 1 -> {
                    description = "create_" + tableName;
                    sql = "CREATE TABLE " + tableName + " (\n"
                            + "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
                            + "    name text NOT NULL,\n"
                            + "    created_at timestamptz NOT NULL DEFAULT now()\n"
                            + ");\n";
                }
                case 2 -> {
                    description = "insert_into_" + tableName;
                    sql = "INSERT INTO " + tableName + " (name) VALUES ('first'), ('second'), ('third');\n";
                }
                case 3 -> {
                    description = "add_note_to_" + tableName;
                    sql = "ALTER TABLE " + tableName + " ADD COLUMN note text;\n" + "COMMENT ON COLUMN " + tableName
                            + ".note IS 'Free text shown to support staff';\n";
                }
                default -> {
                    description = "index_" + tableName + "_name";
                    sql = "CREATE INDEX " + tableName + "_name_idx ON " + tableName + " (name);\n";
                }
            }
            Files.writeString(
                    directory.resolve("V" + version + "__" + description + ".sql"), sql, StandardCharsets.UTF_8);
        }
        return "filesystem:" + directory.toAbsolutePath();
    }
}
