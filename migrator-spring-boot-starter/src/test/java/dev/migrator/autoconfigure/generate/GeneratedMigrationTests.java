package dev.migrator.autoconfigure.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.migrator.core.MigratorException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rewrite of Hibernate's statements and the notes of the header, on statements as Hibernate 7 writes them. */
class GeneratedMigrationTests {

    @Test
    void oneNewColumnBesideOneUnmappedColumnIsProbablyARename() {
        GeneratedMigration migration = GeneratedMigration.of(
                comparison(
                        List.of("alter table if exists customer add column display_name varchar(255)"),
                        Set.of("customer"),
                        List.of(),
                        Map.of("customer", List.of("nickname"))),
                "rename_nickname",
                "4",
                "5",
                "6");

        assertThat(migration.notes())
                .singleElement()
                .asString()
                .contains("If the field was renamed to display_name, replace the ADD COLUMN display_name below with:"
                        + " ALTER TABLE customer RENAME COLUMN nickname TO display_name;");
        assertThat(migration.files()).containsOnlyKeys("V5__rename_nickname.sql", "U5__rename_nickname.sql");
    }

    @Test
    void oneNewTableBesideOneUnmappedTableIsProbablyARename() {
        GeneratedMigration migration = GeneratedMigration.of(
                comparison(
                        List.of("create table client (id bigint not null, primary key (id))"),
                        Set.of("customer"),
                        List.of("customer"),
                        Map.of()),
                "rename_customer",
                "1",
                "2",
                "3");

        assertThat(migration.notes())
                .singleElement()
                .asString()
                .contains("replace the CREATE TABLE client below with: ALTER TABLE customer RENAME TO client;");
    }

    @Test
    void aNotNullColumnWithoutADefaultIsNoted() {
        GeneratedMigration migration = GeneratedMigration.of(
                comparison(
                        List.of("alter table if exists customer add column tier varchar(16) not null"),
                        Set.of("customer"),
                        List.of(),
                        Map.of()),
                "add_tier",
                "1",
                "2",
                "3");

        assertThat(migration.notes())
                .singleElement()
                .asString()
                .contains(
                        "column customer.tier is added NOT NULL without a default: this fails when customer has rows");
    }

    @Test
    void aTypeChangeIsNotedAndLeavesTheUndoToBeWrittenByHand() {
        GeneratedMigration migration = GeneratedMigration.of(
                comparison(
                        List.of("alter table if exists orders alter column total set data type numeric(12,2)"),
                        Set.of("orders"),
                        List.of(),
                        Map.of()),
                "widen_total",
                "1",
                "2",
                "3");

        assertThat(migration.notes()).singleElement().asString().contains("column orders.total changes its type");
        assertThat(migration.files()).containsOnlyKeys("V2__widen_total.sql");
        assertThat(migration.files().get("V2__widen_total.sql"))
                .contains("No undo script was written: a statement below has no mechanical inverse.");
    }

    @Test
    void onlyConcurrentWorkMakesOneNonTransactionalMigration() {
        GeneratedMigration migration = GeneratedMigration.of(
                comparison(
                        List.of("create index orders_placed_idx on orders (placed_at)"),
                        Set.of("orders"),
                        List.of(),
                        Map.of()),
                "index_orders",
                "7",
                "8",
                "9");

        assertThat(migration.files())
                .containsOnlyKeys(
                        "V8__index_orders.sql",
                        "V8__index_orders.sql.conf",
                        "U8__index_orders.sql",
                        "U8__index_orders.sql.conf");
        assertThat(migration.inTransaction()).isEmpty();
        assertThat(migration.outsideTransaction())
                .containsExactly("create index concurrently orders_placed_idx on orders (placed_at)");
    }

    @Test
    void nothingToChangeWritesNothing() {
        assertThat(GeneratedMigration.of(comparison(List.of(), Set.of("t"), List.of("t"), Map.of()), "x", "1", "2", "3")
                        .isEmpty())
                .isTrue();
    }

    @Test
    void theNextVersionKeepsTheStyleOfTheLastOne() {
        assertThat(SchemaGenerator.next("9")).isEqualTo("10");
        assertThat(SchemaGenerator.next("1.2")).isEqualTo("1.3");
        assertThat(SchemaGenerator.next("1.09")).isEqualTo("1.10");
        assertThat(SchemaGenerator.next("2024_01_15_001")).isEqualTo("2024_01_15_002");
        assertThat(SchemaGenerator.next("0")).isEqualTo("1");
    }

    @Test
    void descriptionsBecomeFileNamesOrAreRefused() {
        assertThat(SchemaGenerator.description(" add customer phone ")).isEqualTo("add_customer_phone");
        assertThat(SchemaGenerator.description("v2.add-index")).isEqualTo("v2.add-index");
        for (String bad : List.of("../x", "a/b", "a:b", "_x", "a..b", "x".repeat(101), "ä")) {
            assertThatExceptionOfType(MigratorException.class)
                    .as(bad)
                    .isThrownBy(() -> SchemaGenerator.description(bad))
                    .withMessageContaining("Invalid value '" + bad + "' for 'migrator.generate.description'");
        }
    }

    private static EntityComparison comparison(
            List<String> statements,
            Set<String> tables,
            List<String> unmappedTables,
            Map<String, List<String>> columns) {
        return new EntityComparison(statements, tables, unmappedTables, columns);
    }
}
