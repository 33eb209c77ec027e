package dev.migrator.actuate;

import dev.migrator.autoconfigure.MigrationsDescriptor;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Masks credentials in text that the endpoint and the health indicator show: error messages come
 * from the database and the JDBC driver, and SQL is shown as written, so either may carry a password
 * or a URL with one.
 */
final class Credentials {

    static final String MASK = "******";

    /** {@code scheme://user:secret@host}: keeps the user, masks the secret. */
    private static final Pattern URL_USER_INFO = Pattern.compile("(://[^/:@\\s]+:)[^@/\\s]+@");

    /** {@code ?password=secret&...} in JDBC URLs and {@code password=secret} in messages. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(\\b(?:password|passwd|pwd)=)[^&;,\\s'\"]*");

    /** {@code CREATE ROLE app PASSWORD 'secret'} and the like in SQL. */
    private static final Pattern SQL_PASSWORD = Pattern.compile("(?i)(\\bPASSWORD\\s+)'(?:[^']|'')*'");

    private Credentials() {}

    static String mask(String text) {
        String masked = URL_USER_INFO.matcher(text).replaceAll("$1" + MASK + "@");
        masked = PASSWORD_PARAMETER.matcher(masked).replaceAll("$1" + MASK);
        return SQL_PASSWORD.matcher(masked).replaceAll("$1'" + MASK + "'");
    }

    static @Nullable String maskNullable(@Nullable String text) {
        return (text != null) ? mask(text) : null;
    }

    static MigrationsDescriptor mask(MigrationsDescriptor descriptor) {
        return new MigrationsDescriptor(
                descriptor.status(),
                descriptor.autoRun(),
                descriptor.schema(),
                descriptor.data(),
                descriptor.lock(),
                mask(descriptor.lastRun()),
                descriptor.checks().stream().map(Credentials::mask).toList(),
                maskNullable(descriptor.error()));
    }

    static MigrationsDescriptor.@Nullable LastRun mask(MigrationsDescriptor.@Nullable LastRun run) {
        if (run == null) {
            return null;
        }
        return new MigrationsDescriptor.LastRun(
                run.trigger(),
                run.startedAt(),
                run.durationMs(),
                run.outcome(),
                run.schemaApplied(),
                run.dataApplied(),
                maskNullable(run.error()));
    }

    static MigrationsDescriptor.Check mask(MigrationsDescriptor.Check check) {
        return new MigrationsDescriptor.Check(check.name(), check.status(), mask(check.detail()));
    }

    static MigrationsDescriptor.PreviewStep mask(MigrationsDescriptor.PreviewStep step) {
        return new MigrationsDescriptor.PreviewStep(
                step.track(), step.version(), step.description(), step.script(), step.type(), maskNullable(step.sql()));
    }
}
