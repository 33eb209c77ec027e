package dev.migrator.core.internal.timeout;

import dev.migrator.core.Redactor;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A session that held a lock a migration waited for, as {@code pg_stat_activity} showed it.
 *
 * @param pid its server process
 * @param application its {@code application_name}
 * @param user its login
 * @param transactionAge how long its transaction had been open, zero when it had none
 * @param state its state, such as {@code idle in transaction}
 * @param query its last statement, with string literals and credentials masked
 */
public record Blocker(int pid, String application, String user, Duration transactionAge, String state, String query) {

    private static final Pattern STRING_LITERAL = Pattern.compile("'[^']*+(?:''[^']*+)*+'");

    private static final int QUERY_LENGTH = 200;

    /** Mask what a statement may carry that is not the operator's to see: every string literal. */
    static String redactQuery(String query) {
        String masked = Redactor.redact(STRING_LITERAL.matcher(query).replaceAll("'…'"))
                .replaceAll("\\s+", " ")
                .strip();
        return masked.length() <= QUERY_LENGTH ? masked : masked.substring(0, QUERY_LENGTH) + "…";
    }

    /** Describe the session on one line. */
    public String describe() {
        return "pid " + this.pid + " (application '" + this.application + "', user '" + this.user + "', "
                + (this.transactionAge.isZero()
                        ? "no transaction open"
                        : "transaction open " + seconds(this.transactionAge))
                + ", " + this.state + ") last ran '" + this.query + "'";
    }

    private static String seconds(Duration age) {
        long seconds = age.toSeconds();
        return seconds >= 120 ? (seconds / 60) + " min " + (seconds % 60) + " s" : age.toMillis() / 1000.0 + " s";
    }
}
