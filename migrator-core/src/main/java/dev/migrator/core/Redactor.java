package dev.migrator.core;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Masks credentials in text that migrator shows: error messages come from the database and the JDBC
 * driver, and SQL is shown as written, so either may carry a password or a URL with one. Every
 * output path (exception messages, preview SQL, check details, the endpoint, health, command output,
 * failure analysis and logs) goes through this one redactor.
 *
 * @since 0.1.0
 */
public final class Redactor {

    /** What a secret is replaced with. */
    public static final String MASK = "******";

    /** {@code scheme://user:secret@host}: keeps the user, masks the secret. */
    private static final Pattern URL_USER_INFO = Pattern.compile("(://[^/:@\\s]+:)[^@/\\s]+@");

    /** {@code ?password=secret&...} in JDBC URLs and {@code password=secret} in messages. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(\\b(?:password|passwd|pwd)=)[^&;,\\s'\"]*");

    /** {@code CREATE ROLE app PASSWORD 'secret'} and the like in SQL. */
    private static final Pattern SQL_PASSWORD = Pattern.compile("(?i)(\\bPASSWORD\\s+)'[^']*+(?:''[^']*+)*+'");

    private Redactor() {}

    /**
     * Mask the credentials in a text.
     *
     * @param text the text
     * @return the text with every password replaced by {@link #MASK}
     */
    public static String redact(String text) {
        String masked = URL_USER_INFO.matcher(text).replaceAll("$1" + MASK + "@");
        masked = PASSWORD_PARAMETER.matcher(masked).replaceAll("$1" + MASK);
        return SQL_PASSWORD.matcher(masked).replaceAll("$1'" + MASK + "'");
    }

    /**
     * Mask the credentials in an optional text.
     *
     * @param text the text, or empty
     * @return the masked text, or empty
     */
    public static Optional<String> redact(Optional<String> text) {
        return text.map(Redactor::redact);
    }
}
