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
            String first = firstWord(statement.sql());
            String line = "line " + statement.line();
            switch (first) {
                case "BEGIN", "START", "COMMIT", "ROLLBACK", "END", "SAVEPOINT", "RELEASE", "ABORT" ->
                    seen.add(new ObservedRules.Seen(Rule.TRANSACTION_CONTROL, -1, line, first + " in the script"));
                case "UPDATE", "DELETE" -> {
                    if (!WHERE.matcher(text(statement)).find()) {
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
                String text = text(statement);
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

    /** A statement's text without literals or comments, in upper case: for the checks that read past its first word. */
    private static String text(SqlScript.Statement statement) {
        return STRING_OR_COMMENT
                .matcher(statement.sql())
                .replaceAll(" ")
                .strip()
                .toUpperCase(Locale.ROOT);
    }

    /**
     * A statement's first word in upper case, past white space and comments; empty when there is
     * none. Most statements need no more than this, so their whole text is not cleaned.
     */
    static String firstWord(String sql) {
        int i = 0;
        int length = sql.length();
        while (i < length) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == ';') {
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = (end < 0) ? length : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = (end < 0) ? length : end + 2;
            } else {
                break;
            }
        }
        int start = i;
        while (i < length && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        return sql.substring(start, i).toUpperCase(Locale.ROOT);
    }
}
