package dev.migrator.core.internal;

import java.util.regex.Pattern;

/**
 * The one definition of a migration version as users write it: digits separated by {@code .} or
 * {@code _}, ordered like Flyway's ({@code 1 < 1.1 < 1.2 < 2 < 10}).
 */
public final class VersionSyntax {

    /** A version, as a regular expression to embed in larger patterns. */
    public static final String REGEX = "[0-9]+(?:[._][0-9]+)*";

    private static final Pattern VERSION = Pattern.compile(REGEX);

    private VersionSyntax() {}

    /** Return whether the text is a version. */
    public static boolean isVersion(String text) {
        return VERSION.matcher(text).matches();
    }

    /** Return whether the text is a target: {@code latest}, {@code current} or a version. */
    public static boolean isTarget(String text) {
        return "latest".equalsIgnoreCase(text) || "current".equalsIgnoreCase(text) || isVersion(text);
    }
}
