package dev.migrator.core.internal.data;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigratorException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * A SQL data migration split into statements where psql would split it, with the {@code --
 * migrator:} directives from the comments above its first statement.
 */
public final class SqlScript {

    private static final Pattern DIRECTIVE = Pattern.compile("--\\s*migrator:(\\S*)\\s*(.*?)\\s*");

    private static final Pattern VERSION = Pattern.compile("[0-9]+([._][0-9]+)*");

    private static final Pattern DOLLAR_TAG =
            Pattern.compile("\\$([A-Za-z_\\x{80}-\\x{FFFF}][A-Za-z0-9_\\x{80}-\\x{FFFF}]*)?\\$");

    private final List<Statement> statements;

    private final boolean transactional;

    private final Optional<String> afterSchema;

    private final String text;

    private SqlScript(List<Statement> statements, boolean transactional, Optional<String> afterSchema, String text) {
        this.text = text;
        this.statements = List.copyOf(statements);
        this.transactional = transactional;
        this.afterSchema = afterSchema;
    }

    /**
     * Parse a script.
     *
     * @param name the file name, for messages
     * @param content the script text
     * @return the parsed script
     * @throws MigratorException for an unknown, malformed or misplaced directive, or a string,
     *     quoted identifier, dollar-quoted body or comment that is never closed
     */
    public static SqlScript parse(String name, String content) {
        return new Parser(name, withoutBom(content)).parse();
    }

    /**
     * Compute a checksum like Flyway's: a CRC32 over the UTF-8 bytes of each line without its line
     * terminator, so a checkout with other line endings keeps the checksum.
     *
     * @param content the script text
     * @return the checksum
     */
    public static int checksum(String content) {
        CRC32 crc = new CRC32();
        withoutBom(content).lines().forEach(line -> crc.update(line.getBytes(StandardCharsets.UTF_8)));
        return (int) crc.getValue();
    }

    private static String withoutBom(String content) {
        return content.startsWith("\uFEFF") ? content.substring(1) : content;
    }

    /** Return the script's text, for the {@code -- migrator:allow} directives of the change analysis. */
    public String text() {
        return this.text;
    }

    /** Return the statements in file order, without terminating semicolons and surrounding comments. */
    public List<Statement> statements() {
        return this.statements;
    }

    /** Return whether the script runs in one transaction: false with {@code -- migrator:no-transaction}. */
    public boolean transactional() {
        return this.transactional;
    }

    /** Return the schema version from {@code -- migrator:after-schema <version>}, as written, if given. */
    public Optional<String> afterSchema() {
        return this.afterSchema;
    }

    /**
     * One statement of a script.
     *
     * @param sql the statement text, without its terminating semicolon
     * @param line the 1-based line where the statement starts
     */
    public record Statement(String sql, int line) {

        private static final Pattern CONCURRENTLY = Pattern.compile("(?i)\\bCONCURRENTLY\\b");

        /**
         * Return whether the statement is one of the {@code CONCURRENTLY} forms, which run outside a
         * transaction and wait for every older transaction, under the longer timeouts.
         */
        public boolean concurrently() {
            return CONCURRENTLY.matcher(this.sql).find();
        }
    }

    private static final class Parser {

        private final String name;

        private final String text;

        private final List<Statement> statements = new ArrayList<>();

        private boolean transactional = true;

        private @Nullable String afterSchema;

        private int pos;

        /** Offset of the current statement's first token, or -1 while it has none. */
        private int start = -1;

        /** Offset after the current statement's last token, so trailing comments stay out of it. */
        private int end;

        private int startLine;

        private int parenDepth;

        private int beginDepth;

        /** The first words of the current statement, to recognize a function or procedure definition. */
        private final List<String> words = new ArrayList<>();

        private int countedUpTo;

        private int linesCounted = 1;

        Parser(String name, String text) {
            this.name = name;
            this.text = text;
        }

        SqlScript parse() {
            while (this.pos < this.text.length()) {
                char c = this.text.charAt(this.pos);
                if (isSpace(c)) {
                    this.pos++;
                } else if (this.text.startsWith("--", this.pos)) {
                    lineComment();
                } else if (this.text.startsWith("/*", this.pos)) {
                    blockComment();
                } else if (c == ';' && this.parenDepth == 0 && this.beginDepth == 0) {
                    endStatement();
                    this.pos++;
                } else {
                    if (this.start < 0) {
                        this.start = this.pos;
                        this.startLine = lineAt(this.pos);
                    }
                    token(c);
                    this.end = this.pos;
                }
            }
            endStatement();
            return new SqlScript(this.statements, this.transactional, Optional.ofNullable(this.afterSchema), this.text);
        }

        private void token(char c) {
            switch (c) {
                case '\'' -> quoted('\'', false);
                case '"' -> quoted('"', false);
                case '$' -> dollar();
                case '(' -> {
                    this.parenDepth++;
                    this.pos++;
                }
                case ')' -> {
                    this.parenDepth = Math.max(0, this.parenDepth - 1);
                    this.pos++;
                }
                default -> {
                    if ((c == 'E' || c == 'e') && this.text.startsWith("'", this.pos + 1)) {
                        this.pos++;
                        quoted('\'', true);
                    } else if (isIdentifierPart(c)) {
                        word();
                    } else {
                        this.pos++;
                    }
                }
            }
        }

        private void quoted(char quote, boolean backslashEscapes) {
            int open = this.pos;
            this.pos++;
            while (this.pos < this.text.length()) {
                char c = this.text.charAt(this.pos);
                if (backslashEscapes && c == '\\') {
                    this.pos += 2;
                } else if (c != quote) {
                    this.pos++;
                } else if (this.text.startsWith(String.valueOf(quote), this.pos + 1)) {
                    this.pos += 2;
                } else {
                    this.pos++;
                    return;
                }
            }
            if (quote == '\'') {
                throw unterminated(
                        "string", open, "Close it with a single quote; write '' for a quote inside a string.");
            }
            throw unterminated("quoted identifier", open, "Close it with a double quote.");
        }

        /** A dollar-quoted body, or a lone {@code $} such as the one of a {@code $1} parameter. */
        private void dollar() {
            Matcher tag = DOLLAR_TAG.matcher(this.text).region(this.pos, this.text.length());
            if (!tag.lookingAt()) {
                this.pos++;
                return;
            }
            int close = this.text.indexOf(tag.group(), tag.end());
            if (close < 0) {
                throw unterminated("dollar-quoted string", this.pos, "Close it with '" + tag.group() + "'.");
            }
            this.pos = close + tag.group().length();
        }

        /**
         * An identifier, keyword or number. Like psql, track {@code BEGIN ... END} in a function or
         * procedure definition so that the semicolons of a {@code BEGIN ATOMIC} body do not split it.
         */
        private void word() {
            int from = this.pos;
            while (this.pos < this.text.length() && isIdentifierPart(this.text.charAt(this.pos))) {
                this.pos++;
            }
            char first = this.text.charAt(from);
            if (first >= '0' && first <= '9') {
                return;
            }
            String word = this.text.substring(from, this.pos).toLowerCase(Locale.ROOT);
            if (this.words.size() < 4) {
                this.words.add(word);
            }
            if (this.parenDepth == 0 && definesRoutine()) {
                switch (word) {
                    case "begin" -> this.beginDepth++;
                    case "case" -> {
                        // CASE also ends with END, which matters only inside a BEGIN
                        if (this.beginDepth > 0) {
                            this.beginDepth++;
                        }
                    }
                    case "end" -> this.beginDepth = Math.max(0, this.beginDepth - 1);
                    default -> {}
                }
            }
        }

        private boolean definesRoutine() {
            List<String> w = this.words;
            return w.size() >= 2
                    && w.get(0).equals("create")
                    && (isRoutine(w.get(1))
                            || (w.size() == 4
                                    && w.get(1).equals("or")
                                    && w.get(2).equals("replace")
                                    && isRoutine(w.get(3))));
        }

        private static boolean isRoutine(String word) {
            return word.equals("function") || word.equals("procedure");
        }

        private void lineComment() {
            int from = this.pos;
            while (this.pos < this.text.length()
                    && this.text.charAt(this.pos) != '\n'
                    && this.text.charAt(this.pos) != '\r') {
                this.pos++;
            }
            String comment = this.text.substring(from, this.pos);
            Matcher directive = DIRECTIVE.matcher(comment);
            if (directive.matches()) {
                directive(comment.strip(), directive.group(1), directive.group(2), from);
            }
        }

        private void directive(String comment, String word, String value, int offset) {
            if (word.equals("allow")) {
                // The change analysis reads these, anywhere in the script, beside the statement they allow.
                return;
            }
            if (this.start >= 0 || !this.statements.isEmpty()) {
                throw failure(
                        "Directive '" + comment + "' at line " + lineAt(offset) + " in '" + this.name
                                + "' comes after the first statement.",
                        "Move it above the first statement; directives are only read there.");
            }
            if (word.equals("no-transaction") && value.isEmpty()) {
                this.transactional = false;
            } else if (word.equals("after-schema")) {
                if (!VERSION.matcher(value).matches()) {
                    throw failure(
                            "Invalid version in directive '" + comment + "' in '" + this.name + "'.",
                            "Write the schema version as digits separated by '.' or '_',"
                                    + " for example '-- migrator:after-schema 1.42'.");
                }
                if (this.afterSchema != null) {
                    throw failure(
                            "Second directive '" + comment + "' in '" + this.name + "'.",
                            "Keep one '-- migrator:after-schema <version>' line.");
                }
                this.afterSchema = value;
            } else {
                throw failure(
                        "Unknown directive '" + comment + "' in '" + this.name + "'.",
                        "Use '-- migrator:no-transaction', '-- migrator:after-schema <version>' or"
                                + " '-- migrator:allow <rule> <reason>'.");
            }
        }

        private void blockComment() {
            int open = this.pos;
            int depth = 0;
            while (this.pos < this.text.length()) {
                if (this.text.startsWith("/*", this.pos)) {
                    depth++;
                    this.pos += 2;
                } else if (this.text.startsWith("*/", this.pos)) {
                    depth--;
                    this.pos += 2;
                    if (depth == 0) {
                        return;
                    }
                } else {
                    this.pos++;
                }
            }
            throw unterminated("block comment", open, "Close it with '*/'.");
        }

        private void endStatement() {
            if (this.start >= 0) {
                this.statements.add(new Statement(this.text.substring(this.start, this.end), this.startLine));
            }
            this.start = -1;
            this.words.clear();
        }

        /** Return the line of an offset; offsets only grow while parsing, so counting resumes. */
        private int lineAt(int offset) {
            for (; this.countedUpTo < offset; this.countedUpTo++) {
                char c = this.text.charAt(this.countedUpTo);
                if (c == '\n' || (c == '\r' && !this.text.startsWith("\n", this.countedUpTo + 1))) {
                    this.linesCounted++;
                }
            }
            return this.linesCounted;
        }

        private MigratorException unterminated(String what, int open, String action) {
            int lineEnd = open;
            while (lineEnd < this.text.length()
                    && lineEnd - open < 40
                    && this.text.charAt(lineEnd) != '\n'
                    && this.text.charAt(lineEnd) != '\r') {
                lineEnd++;
            }
            return failure(
                    "Unterminated " + what + " at line " + lineAt(open) + " in '" + this.name + "': '"
                            + this.text.substring(open, lineEnd) + "'.",
                    action);
        }

        private static MigratorException failure(String description, String action) {
            return new MigratorException(ErrorCode.CONFIGURATION, description, action, null);
        }

        private static boolean isSpace(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
        }

        private static boolean isIdentifierPart(char c) {
            return (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '$'
                    || c >= 0x80;
        }
    }
}
