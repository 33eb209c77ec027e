package dev.migrator.core.internal.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import dev.migrator.core.internal.data.SqlScript.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlScriptTests {

    @Test
    void semicolonEndsStatementAndLineIsWhereStatementStarts() {
        SqlScript script = SqlScript.parse("D1__x.sql", "UPDATE a SET x = 1;\n\nUPDATE b\nSET y = 2;\n");

        assertThat(script.statements())
                .containsExactly(new Statement("UPDATE a SET x = 1", 1), new Statement("UPDATE b\nSET y = 2", 3));
    }

    @Test
    void finalStatementWithoutSemicolonIsKept() {
        assertThat(sql("UPDATE a SET x = 1;\nUPDATE b SET y = 2\n"))
                .containsExactly("UPDATE a SET x = 1", "UPDATE b SET y = 2");
    }

    @Test
    void statementsOfOnlyWhitespaceOrCommentsAreDropped() {
        assertThat(sql(";;\n-- nothing\n;  /* nothing */ ;\nSELECT 1;\n-- the end\n  \n"))
                .containsExactly("SELECT 1");
    }

    @Test
    void commentsAroundStatementAreLeftOutAndLineSkipsThem() {
        SqlScript script = SqlScript.parse(
                "D1__x.sql", "-- header\n/* block\n   comment */\nUPDATE t SET x = 1 -- why\n; -- done\n");

        assertThat(script.statements()).containsExactly(new Statement("UPDATE t SET x = 1", 4));
    }

    @Test
    void commentInsideStatementIsKept() {
        assertThat(sql("UPDATE t /* all rows */ SET x = 1;")).containsExactly("UPDATE t /* all rows */ SET x = 1");
    }

    @Test
    void lineCountsCrLfAndCrLineEndings() {
        SqlScript script = SqlScript.parse("D1__x.sql", "SELECT 1;\r\nSELECT 2;\rSELECT 3;\r\n\r\nSELECT 4;");

        assertThat(script.statements()).extracting(Statement::line).containsExactly(1, 2, 3, 5);
    }

    @Test
    void byteOrderMarkIsDropped() {
        SqlScript script = SqlScript.parse("D1__x.sql", "\uFEFFSELECT 1;");

        assertThat(script.statements()).containsExactly(new Statement("SELECT 1", 1));
    }

    @Test
    void semicolonInsideSingleQuotedStringDoesNotSplit() {
        assertThat(sql("INSERT INTO t VALUES ('a;b', 'it''s; fine');SELECT 2"))
                .containsExactly("INSERT INTO t VALUES ('a;b', 'it''s; fine')", "SELECT 2");
    }

    @Test
    void backslashInStandardStringIsNotAnEscape() {
        assertThat(sql("SELECT 'C:\\';SELECT 2")).containsExactly("SELECT 'C:\\'", "SELECT 2");
    }

    @Test
    void semicolonInsideEscapeStringWithBackslashQuoteDoesNotSplit() {
        assertThat(sql("SELECT E'it\\'s; here';SELECT e'\\\\';SELECT 3"))
                .containsExactly("SELECT E'it\\'s; here'", "SELECT e'\\\\'", "SELECT 3");
    }

    @Test
    void escapeStringKeepsBackslashEscapesAfterDoubledQuote() {
        assertThat(sql("SELECT E'don''t \\'; split';SELECT 2"))
                .containsExactly("SELECT E'don''t \\'; split'", "SELECT 2");
    }

    @Test
    void identifierEndingInEBeforeStringIsNotAnEscapeString() {
        assertThat(sql("SELECT type'C:\\';SELECT 2")).containsExactly("SELECT type'C:\\'", "SELECT 2");
    }

    @Test
    void semicolonInsideDoubleQuotedIdentifierDoesNotSplit() {
        assertThat(sql("SELECT 1 AS \"a;\"\"b\";SELECT 2")).containsExactly("SELECT 1 AS \"a;\"\"b\"", "SELECT 2");
    }

    @Test
    void semicolonInsideDollarQuotedBodyDoesNotSplit() {
        String body = "DO $$\nBEGIN\n  UPDATE t SET x = 'a;b';\nEND\n$$";

        assertThat(sql(body + ";\nSELECT 2;")).containsExactly(body, "SELECT 2");
    }

    @Test
    void semicolonInsideTaggedDollarQuotedBodyDoesNotSplit() {
        String body = "CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $fn$\n"
                + "BEGIN\n  RETURN $$;$$ || $x$;$x$;\nEND\n$fn$";

        assertThat(sql(body + ";\nSELECT f();")).containsExactly(body, "SELECT f()");
    }

    @Test
    void dollarParameterIsNotADollarQuote() {
        assertThat(sql("PREPARE q(int) AS SELECT $1;EXECUTE q(1);SELECT $2"))
                .containsExactly("PREPARE q(int) AS SELECT $1", "EXECUTE q(1)", "SELECT $2");
    }

    @Test
    void dollarInsideIdentifierIsNotADollarQuote() {
        assertThat(sql("SELECT price$eur$ FROM t;SELECT 2")).containsExactly("SELECT price$eur$ FROM t", "SELECT 2");
    }

    @Test
    void semicolonInsideLineCommentDoesNotSplit() {
        assertThat(sql("UPDATE t SET x = 1 -- not here; really\nWHERE id = 2;"))
                .containsExactly("UPDATE t SET x = 1 -- not here; really\nWHERE id = 2");
    }

    @Test
    void quoteInsideCommentDoesNotOpenString() {
        assertThat(sql("-- it's\nSELECT 1; /* don't */ SELECT 2;")).containsExactly("SELECT 1", "SELECT 2");
    }

    @Test
    void semicolonInsideNestedBlockCommentDoesNotSplit() {
        assertThat(sql("SELECT 1 /* a /* b; */ c; */ + 1;SELECT 2"))
                .containsExactly("SELECT 1 /* a /* b; */ c; */ + 1", "SELECT 2");
    }

    @Test
    void semicolonInsideParenthesesDoesNotSplit() {
        String rule = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))";

        assertThat(sql(rule + ";SELECT 1")).containsExactly(rule, "SELECT 1");
    }

    @Test
    void semicolonInsideBeginAtomicBodyDoesNotSplit() {
        String function = "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n"
                + "  SELECT CASE WHEN true THEN 1 END;\n  SELECT 2;\nEND";

        assertThat(sql(function + ";\nSELECT f();")).containsExactly(function, "SELECT f()");
    }

    @Test
    void beginOutsideFunctionDefinitionEndsAtItsSemicolon() {
        assertThat(sql("BEGIN;\nUPDATE t SET x = 1;\nEND;")).containsExactly("BEGIN", "UPDATE t SET x = 1", "END");
    }

    @Test
    void unterminatedStringIsRejected() {
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> SqlScript.parse("D3__x.sql", "SELECT 1;\nSELECT 'abc;\nSELECT 2;"))
                .withMessageContaining("Unterminated string at line 2 in 'D3__x.sql': ''abc;'.")
                .withMessageContaining("Close it with a single quote");
    }

    @Test
    void unterminatedQuotedIdentifierIsRejected() {
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> SqlScript.parse("D3__x.sql", "SELECT 1 AS \"a;"))
                .withMessageContaining("Unterminated quoted identifier at line 1 in 'D3__x.sql': '\"a;'.");
    }

    @Test
    void unterminatedDollarQuotedBodyIsRejected() {
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> SqlScript.parse("D3__x.sql", "DO $body$\nBEGIN\n  UPDATE t SET x = 1;\nEND $$;"))
                .withMessageContaining("Unterminated dollar-quoted string at line 1 in 'D3__x.sql': '$body$'.")
                .withMessageContaining("Close it with '$body$'.");
    }

    @Test
    void unterminatedBlockCommentIsRejected() {
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> SqlScript.parse("D3__x.sql", "SELECT 1;\n/* a /* b */\nSELECT 2;"))
                .withMessageContaining("Unterminated block comment at line 2 in 'D3__x.sql'")
                .withMessageContaining("Close it with '*/'.");
    }

    @Test
    void scriptWithoutDirectivesIsTransactionalWithoutSchemaVersion() {
        SqlScript script = SqlScript.parse("D1__x.sql", "-- Backfill totals\nUPDATE t SET x = 1;");

        assertThat(script.transactional()).isTrue();
        assertThat(script.afterSchema()).isEmpty();
    }

    @Test
    void noTransactionDirectiveMakesScriptNonTransactional() {
        SqlScript script =
                SqlScript.parse("D1__x.sql", "-- migrator:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);");

        assertThat(script.transactional()).isFalse();
        assertThat(script.statements()).containsExactly(new Statement("CREATE INDEX CONCURRENTLY i ON t (x)", 2));
    }

    @Test
    void noTransactionDirectiveIsReadAfterByteOrderMark() {
        assertThat(SqlScript.parse("D1__x.sql", "\uFEFF-- migrator:no-transaction\nSELECT 1;")
                        .transactional())
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.42", "1_42", "7", "2.0.1"})
    void afterSchemaDirectiveGivesVersionAsWritten(String version) {
        SqlScript script = SqlScript.parse("D1__x.sql", "-- migrator:after-schema " + version + "\nSELECT 1;");

        assertThat(script.afterSchema()).contains(version);
        assertThat(script.transactional()).isTrue();
    }

    @Test
    void directivesMayFollowOtherCommentsAboveFirstStatement() {
        SqlScript script = SqlScript.parse(
                "D1__x.sql",
                "/* Backfill totals. */\n-- Needs the total column.\n\n--migrator:after-schema 7  \n"
                        + "-- migrator:no-transaction\nUPDATE t SET x = 1;");

        assertThat(script.afterSchema()).contains("7");
        assertThat(script.transactional()).isFalse();
    }

    @Test
    void directiveLikeTextInsideStringIsNotADirective() {
        SqlScript script = SqlScript.parse("D1__x.sql", "SELECT '\n-- migrator:no-transaction\n';");

        assertThat(script.transactional()).isTrue();
    }

    @Test
    void anAllowDirectiveMaySitBesideTheStatementItAllows() {
        SqlScript script = SqlScript.parse(
                "D4__x.sql",
                "UPDATE t SET n = 1 WHERE id = 1;\n-- migrator:allow dml-without-where one settings row\nUPDATE s SET n = 1;");

        assertThat(script.statements()).hasSize(2);
        assertThat(script.text()).contains("-- migrator:allow dml-without-where one settings row");
    }

    @Test
    void unknownDirectiveIsRejected() {
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> SqlScript.parse("D3__x.sql", "-- migrator:no-transactions\nSELECT 1;"))
                .withMessage(
                        "Unknown directive '-- migrator:no-transactions' in 'D3__x.sql'."
                                + " Use '-- migrator:no-transaction', '-- migrator:after-schema <version>' or '-- migrator:allow <rule> <reason>'.")
                .satisfies(ex -> assertThat(ex.code()).isEqualTo(ErrorCode.CONFIGURATION));
    }

    @Test
    void noTransactionDirectiveWithValueIsRejected() {
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> SqlScript.parse("D3__x.sql", "-- migrator:no-transaction please\nSELECT 1;"))
                .withMessageContaining("Unknown directive '-- migrator:no-transaction please' in 'D3__x.sql'.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v1", "1.x", "1..2", "1.", "1.2 3"})
    void afterSchemaDirectiveWithoutValidVersionIsRejected(String version) {
        String directive = ("-- migrator:after-schema " + version).strip();

        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> SqlScript.parse("D3__x.sql", directive + "\nSELECT 1;"))
                .withMessageContaining("Invalid version in directive '" + directive + "' in 'D3__x.sql'.")
                .withMessageContaining("digits separated by '.' or '_'")
                .satisfies(ex -> assertThat(ex.code()).isEqualTo(ErrorCode.CONFIGURATION));
    }

    @Test
    void secondAfterSchemaDirectiveIsRejected() {
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> SqlScript.parse(
                        "D3__x.sql", "-- migrator:after-schema 1\n-- migrator:after-schema 2\nSELECT 1;"))
                .withMessageContaining("Second directive '-- migrator:after-schema 2' in 'D3__x.sql'.");
    }

    @Test
    void directiveAfterFirstStatementIsRejected() {
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() ->
                        SqlScript.parse("D3__x.sql", "SET lock_timeout = '1s';\n-- migrator:no-transaction\nSELECT 1;"))
                .withMessageContaining("Directive '-- migrator:no-transaction' at line 2 in 'D3__x.sql' comes after the"
                        + " first statement.")
                .withMessageContaining("Move it above the first statement");
    }

    @Test
    void checksumIgnoresLineEndingsAndByteOrderMark() {
        int checksum = SqlScript.checksum("UPDATE t SET x = 1;\nDELETE FROM u;\n");

        assertThat(List.of(
                        SqlScript.checksum("UPDATE t SET x = 1;\r\nDELETE FROM u;\r\n"),
                        SqlScript.checksum("UPDATE t SET x = 1;\rDELETE FROM u;\r"),
                        SqlScript.checksum("\uFEFFUPDATE t SET x = 1;\nDELETE FROM u;\n")))
                .containsOnly(checksum);
    }

    @Test
    void checksumChangesWithContent() {
        assertThat(SqlScript.checksum("UPDATE t SET x = 1;\n"))
                .isNotEqualTo(SqlScript.checksum("UPDATE t SET x = 2;\n"));
    }

    private static List<String> sql(String content) {
        return SqlScript.parse("D1__x.sql", content).statements().stream()
                .map(Statement::sql)
                .toList();
    }
}
