package dev.migrator.core.internal.analysis;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import dev.migrator.core.analysis.AllowFinding;
import dev.migrator.core.analysis.Rule;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The findings a migration allows, with their reasons: {@code -- migrator:allow <rule> <reason>}
 * lines anywhere in a SQL script, {@link AllowFinding} annotations on a Java migration. A rule that
 * does not exist, or an allowance without a reason, is an error: a typo must not silence nothing
 * while looking as if it silenced something.
 */
public final class Allowances {

    private static final Pattern ALLOW = Pattern.compile("^\\s*--\\s*migrator:allow\\b(.*)$", Pattern.MULTILINE);

    private static final Pattern RULE_AND_REASON = Pattern.compile("\\s*(\\S*)\\s*(.*?)\\s*");

    private Allowances() {}

    /**
     * Read the allowances of a SQL script.
     *
     * @param name the script's name, for messages
     * @param sql its text
     * @return the reasons by rule
     * @throws MigratorException for an unknown rule or a missing reason
     */
    public static Map<Rule, String> of(String name, String sql) {
        Map<Rule, String> allowed = new EnumMap<>(Rule.class);
        Matcher line = ALLOW.matcher(sql);
        while (line.find()) {
            Matcher parts = RULE_AND_REASON.matcher(line.group(1));
            parts.matches();
            int number = lineNumber(sql, line.start());
            String directive = line.group().strip();
            allowed.put(
                    rule(parts.group(1), directive, "at line " + number + " of '" + name + "'"),
                    reason(parts.group(2), directive, "at line " + number + " of '" + name + "'"));
        }
        return allowed;
    }

    /**
     * Read the allowances of a Java migration's class.
     *
     * @param type the class
     * @return the reasons by rule
     * @throws MigratorException for an unknown rule or a missing reason
     */
    public static Map<Rule, String> of(Class<?> type) {
        Map<Rule, String> allowed = new EnumMap<>(Rule.class);
        for (AllowFinding allow : type.getAnnotationsByType(AllowFinding.class)) {
            String directive = "@AllowFinding(rule = \"" + allow.rule() + "\")";
            String where = "on '" + type.getName() + "'";
            allowed.put(rule(allow.rule(), directive, where), reason(allow.reason(), directive, where));
        }
        dev.migrator.core.data.Irreversible irreversible =
                type.getAnnotation(dev.migrator.core.data.Irreversible.class);
        if (irreversible != null) {
            // Declared irreversible: the missing undo is a decision, with its reason.
            allowed.putIfAbsent(Rule.MISSING_UNDO, "irreversible: " + irreversible.value());
        }
        return allowed;
    }

    private static Rule rule(String id, String directive, String where) {
        return Rule.byId(id)
                .orElseThrow(() -> new MigratorException(
                        ErrorCode.CONFIGURATION,
                        "Unknown rule '" + id + "' in '" + directive + "' " + where + ".",
                        "Use one of: " + Rule.ids() + ".",
                        null));
    }

    private static String reason(String reason, String directive, String where) {
        if (reason.isBlank()) {
            throw new MigratorException(
                    ErrorCode.CONFIGURATION,
                    "No reason in '" + directive + "' " + where + ".",
                    "Say why the migration may do this, for the reviewer: -- migrator:allow <rule> <reason>.",
                    null);
        }
        return reason;
    }

    private static int lineNumber(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
