package dev.migrator.core.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.DriftReport.Difference;
import dev.migrator.core.DriftReport.Kind;
import dev.migrator.core.MigratorSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison of two catalogs, without a database. */
class CatalogTests {

    private static final Catalog.Entry CUSTOMER = new Catalog.Entry(Kind.TABLE, "public.customer", null, "table");

    private static final Catalog.Entry EMAIL =
            new Catalog.Entry(Kind.COLUMN, "public.customer.email", "public.customer", "text");

    @Test
    void equalCatalogsHaveNoDifference() {
        assertThat(Catalog.differences(List.of(CUSTOMER, EMAIL), List.of(CUSTOMER, EMAIL)))
                .isEmpty();
    }

    @Test
    void eachSideOnlyAndChangedDefinitionsAreDifferencesInKindAndNameOrder() {
        Catalog.Entry index = new Catalog.Entry(
                Kind.INDEX, "public.customer_email", "public.customer", "CREATE INDEX customer_email ...");
        Catalog.Entry wider = new Catalog.Entry(Kind.COLUMN, "public.customer.email", "public.customer", "varchar");
        Catalog.Entry name = new Catalog.Entry(Kind.COLUMN, "public.customer.name", "public.customer", "text");

        assertThat(Catalog.differences(List.of(CUSTOMER, EMAIL, name), List.of(index, wider, CUSTOMER)))
                .containsExactly(
                        new Difference(Kind.COLUMN, "public.customer.email", "text", "varchar"),
                        new Difference(Kind.COLUMN, "public.customer.name", "text", null),
                        new Difference(Kind.INDEX, "public.customer_email", null, "CREATE INDEX customer_email ..."));
    }

    @Test
    void aTableOnOneSideIsOneDifferenceWithoutItsColumns() {
        assertThat(Catalog.differences(List.of(), List.of(EMAIL, CUSTOMER)))
                .containsExactly(new Difference(Kind.TABLE, "public.customer", null, "table"));
        assertThat(Catalog.differences(List.of(CUSTOMER, EMAIL), List.of()))
                .containsExactly(new Difference(Kind.TABLE, "public.customer", "table", null));
    }

    @Test
    void theScopeOfAMigratorLeavesOutEveryTableMigratorAndFlywayCreate() {
        Catalog.Scope scope = Catalog.Scope.of(MigratorSettings.defaults());

        assertThat(scope.schemas()).as("every user schema").isEmpty();
        assertThat(scope.excludedTables())
                .containsExactlyInAnyOrder(
                        "flyway_schema_history",
                        "migrator_data_history",
                        "migrator_data_history_progress",
                        "migrator_data_history_lock");
    }

    @Test
    void descriptionsSayWhichSideHasWhat() {
        assertThat(new Difference(Kind.INDEX, "public.i", null, "CREATE INDEX i ON public.t USING btree (a)")
                        .description())
                .isEqualTo("index public.i only in the live database: CREATE INDEX i ON public.t USING btree (a)");
        assertThat(new Difference(Kind.COLUMN, "public.t.a", "integer", null).description())
                .isEqualTo("column public.t.a missing from the live database; the migrations make it: integer");
        assertThat(new Difference(Kind.COLUMN, "public.t.a", "integer", "bigint").description())
                .isEqualTo("column public.t.a differs: the migrations make 'integer', the live database has 'bigint'");
        assertThat(new Difference(Kind.MATERIALIZED_VIEW, "public.v", " SELECT 1;", "SELECT\n 2;").description())
                .isEqualTo("materialized view public.v differs from what the migrations make"
                        + " (compare its expected and found definitions)");
    }
}
