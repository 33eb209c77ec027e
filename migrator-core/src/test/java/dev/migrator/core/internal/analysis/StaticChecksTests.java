package dev.migrator.core.internal.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.analysis.Finding;
import dev.migrator.core.analysis.Rule;
import dev.migrator.core.analysis.Severity;
import org.junit.jupiter.api.Test;

/** The checks that need no database read the SQL, not its strings, comments or function bodies. */
class StaticChecksTests {

    @Test
    void transactionControlInAScriptIsAnError() {
        assertThat(Analyzer.statically("D1__x.sql", "BEGIN;\nUPDATE t SET n = 1 WHERE id = 1;\nCOMMIT;", true))
                .extracting(Finding::rule, Finding::severity, Finding::object)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(Rule.TRANSACTION_CONTROL, Severity.ERROR, "line 1"),
                        org.assertj.core.groups.Tuple.tuple(Rule.TRANSACTION_CONTROL, Severity.ERROR, "line 3"));
    }

    @Test
    void aFunctionBodyWithBeginIsNotTransactionControl() {
        assertThat(Analyzer.statically(
                        "V1__f.sql",
                        "CREATE FUNCTION f() RETURNS void AS $$ BEGIN UPDATE t SET n = 1; END $$ LANGUAGE plpgsql;",
                        true))
                .isEmpty();
    }

    @Test
    void concurrentlyInATransactionalScriptIsAnError() {
        assertThat(Analyzer.statically("D1__x.sql", "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (n);", true))
                .extracting(Finding::rule)
                .containsExactly(Rule.CONCURRENTLY_IN_TRANSACTION);
        assertThat(Analyzer.statically(
                        "D1__x.sql",
                        "-- migrator:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (n);",
                        false))
                .isEmpty();
    }

    @Test
    void whereInAStringOrCommentDoesNotCount() {
        assertThat(Analyzer.statically("D1__x.sql", "UPDATE t SET note = 'where'; -- where", true))
                .extracting(Finding::rule)
                .containsExactly(Rule.DML_WITHOUT_WHERE);
        assertThat(Analyzer.statically("D1__x.sql", "UPDATE t SET note = 'x' WHERE id = 1;", true))
                .isEmpty();
    }

    @Test
    void theFirstWordIsReadPastCommentsAndWhiteSpace() {
        assertThat(Analyzer.statically("D1__x.sql", "/* clean up */ -- all of it\n  DELETE FROM t;", true))
                .extracting(Finding::rule)
                .containsExactly(Rule.DML_WITHOUT_WHERE);
        assertThat(Analyzer.statically("D1__x.sql", "-- begin the work\nSELECT 1;\n/* commit */ SELECT 2;", true))
                .isEmpty();
        assertThat(StaticChecks.firstWord("\n\t/* a */ /* b */commit;")).isEqualTo("COMMIT");
        assertThat(StaticChecks.firstWord("-- only a comment")).isEmpty();
        assertThat(StaticChecks.firstWord("(SELECT 1)")).isEmpty();
    }

    @Test
    void aLongLiteralDoesNotOverflowTheStack() {
        String literal = "x".repeat(2_000_000) + "''" + "y".repeat(1000);
        assertThat(Analyzer.statically("V1__data.sql", "INSERT INTO t VALUES ('" + literal + "');", true))
                .isEmpty();
    }

    @Test
    void anAllowanceSilencesAStaticFinding() {
        assertThat(Analyzer.statically(
                        "D1__x.sql",
                        "-- migrator:allow dml-without-where the table holds one settings row\nUPDATE t SET n = 1;",
                        true))
                .singleElement()
                .satisfies(finding -> assertThat(finding.allowed()).contains("the table holds one settings row"));
    }
}
