package dev.migrator.core.internal.analysis;

import dev.migrator.core.analysis.Rule;
import dev.migrator.core.internal.data.SqlScript;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The checks that read a script's SQL and need no database. */
final class StaticChecks {

    private static final Pattern STRING_OR_COMMENT = Pattern.compile(
            // Unrolled, possessive: a loop per escaped quote, not per character, so long literals cannot
            // overflow the stack.
            "'[^']*+(?:''[^']*+)*+'|\"[^\"]*+(?:\"\"[^\"]*+)*+\"|--[^\\n]*+|/\\*.*?\\*/", Pattern.DOTALL);

    private static final Pattern WHERE = Pattern.compile("\\bWHERE\\b");

    private static final Pattern CONCURRENT_INDEX = Pattern.compile("^CREATE\\s+(UNIQUE\\s+)?INDEX\\s+CONCURRENTLY\\b");

    private static final Pattern IF_NOT_EXISTS = Pattern.compile("\\bIF\\s+NOT\\s+EXISTS\\b");

    private StaticChecks() {}

    /**
     * Check a script's statements.
     *
     * @param script the parsed script
     * @param transactional whether it runs in a transaction
     */
    static List<ObservedRules.Seen> check(SqlScript script, boolean transactional) {
        List<ObservedRules.Seen> seen = new ArrayList<>();
        boolean concurrently = false;
        List<Integer> others = new ArrayList<>();
        for (SqlScript.Statement statement : script.statements()) {
            String text = STRING_OR_COMMENT
                    .matcher(statement.sql())
                    .replaceAll(" ")
                    .strip()
                    .toUpperCase(Locale.ROOT);
            String first = text.split("[\\s;(]+", 2)[0];
            String line = "line " + statement.line();
            switch (first) {
                case "BEGIN", "START", "COMMIT", "ROLLBACK", "END", "SAVEPOINT", "RELEASE", "ABORT" ->
                    seen.add(new ObservedRules.Seen(Rule.TRANSACTION_CONTROL, -1, line, first + " in the script"));
                case "UPDATE", "DELETE" -> {
                    if (!WHERE.matcher(text).find()) {
                        seen.add(new ObservedRules.Seen(Rule.DML_WITHOUT_WHERE, -1, line, first + " without WHERE"));
                    }
                }
                default -> {
                    // Other statements have no static rule of their own.
                }
            }
            if (statement.concurrently()) {
                concurrently = true;
                if (transactional) {
                    seen.add(new ObservedRules.Seen(
                            Rule.CONCURRENTLY_IN_TRANSACTION, -1, line, "CONCURRENTLY in a transactional script"));
                }
                if (CONCURRENT_INDEX.matcher(text).find()
                        && !IF_NOT_EXISTS.matcher(text).find()) {
                    seen.add(new ObservedRules.Seen(
                            Rule.CONCURRENT_INDEX_NOT_IDEMPOTENT,
                            -1,
                            line,
                            "CREATE INDEX CONCURRENTLY without IF NOT EXISTS"));
                }
            } else if (!first.isEmpty() && !first.equals("SET") && !first.equals("SELECT") && !first.equals("RESET")) {
                others.add(statement.line());
            }
        }
        if (!transactional && concurrently && !others.isEmpty()) {
            seen.add(new ObservedRules.Seen(
                    Rule.NON_TRANSACTIONAL_MIX,
                    -1,
                    "line " + others.get(0),
                    others.size() + " statement(s) besides CONCURRENTLY run without a transaction"));
        }
        return seen;
    }
}
