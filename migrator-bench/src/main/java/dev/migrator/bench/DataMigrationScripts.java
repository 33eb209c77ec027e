package dev.migrator.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a set of small data migrations of the kind applications accumulate (reference data,
 * price changes, tags, feature settings) over a few tables that one schema migration creates. The
 * same scripts are written twice: as data migrations for migrator's data track and, renamed, as
 * schema migrations for plain Flyway.
 */
final class DataMigrationScripts {

    private DataMigrationScripts() {}

    /**
     * The {@code filesystem:} locations of one set.
     *
     * @param schema the schema migration {@code V1} that creates the tables, for both contenders
     * @param data {@code D1} to {@code D<count>}, for migrator's data track
     * @param flyway the same scripts as {@code V2} to {@code V<count + 1>}, for Flyway
     */
    record Locations(String schema, String data, String flyway) {}

    static Locations write(Path parent, String name, int count) throws IOException {
        Path schema = Files.createDirectories(parent.resolve(name + "-schema"));
        Path data = Files.createDirectories(parent.resolve(name + "-data"));
        Path flyway = Files.createDirectories(parent.resolve(name + "-flyway"));
        Files.writeString(schema.resolve("V1__create_shop_tables.sql"), """
                CREATE TABLE product (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    sku text NOT NULL UNIQUE,
                    name text NOT NULL,
                    price numeric(10, 2) NOT NULL,
                    active boolean NOT NULL DEFAULT true
                );
                CREATE TABLE product_tag (
                    product_id bigint NOT NULL REFERENCES product (id),
                    tag text NOT NULL,
                    PRIMARY KEY (product_id, tag)
                );
                CREATE TABLE setting (
                    key text PRIMARY KEY,
                    value text NOT NULL
                );
                """, StandardCharsets.UTF_8);
        for (int version = 1; version <= count; version++) {
            int group = (version + 3) / 4;
            String skus = "('SKU-" + group + "-1', 'SKU-" + group + "-2', 'SKU-" + group + "-3')";
            String description;
            String sql;
            switch (version % 4) {
                case 1 -> {
                    description = "add_products_" + group;
                    sql = "INSERT INTO product (sku, name, price) VALUES\n"
                            + "    ('SKU-" + group + "-1', 'Product " + group + " small', 9.90),\n"
                            + "    ('SKU-" + group + "-2', 'Product " + group + " medium', 19.90),\n"
                            + "    ('SKU-" + group + "-3', 'Product " + group + " large', 29.90);\n";
                }
                case 2 -> {
                    description = "reprice_products_" + group;
                    sql = "UPDATE product SET price = round(price * 1.10, 2) WHERE sku IN ('SKU-" + group + "-1', 'SKU-"
                            + group + "-2');\n"
                            + "UPDATE product SET active = false WHERE sku = 'SKU-" + group + "-3';\n";
                }
                case 3 -> {
                    description = "tag_products_" + group;
                    sql = "INSERT INTO product_tag (product_id, tag)\n" + "SELECT id, 'season-" + (group % 10)
                            + "' FROM product WHERE sku IN " + skus + ";\n";
                }
                default -> {
                    description = "toggle_feature_" + group;
                    sql = "INSERT INTO setting (key, value) VALUES ('feature." + group + "', 'on')\n"
                            + "ON CONFLICT (key) DO UPDATE SET value = excluded.value;\n"
                            + "UPDATE setting SET value = 'off' WHERE key = 'feature." + (group - 1) + "';\n";
                }
            }
            Files.writeString(data.resolve("D" + version + "__" + description + ".sql"), sql, StandardCharsets.UTF_8);
            Files.writeString(
                    flyway.resolve("V" + (version + 1) + "__" + description + ".sql"), sql, StandardCharsets.UTF_8);
        }
        return new Locations(
                "filesystem:" + schema.toAbsolutePath(),
                "filesystem:" + data.toAbsolutePath(),
                "filesystem:" + flyway.toAbsolutePath());
    }
}
