package dev.migrator.autoconfigure.generate;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The statements Hibernate 7's schema update writes for PostgreSQL, as {@link HibernateEntityModel} filters them and
 * {@link GeneratedMigration} rewrites them. Each pattern matches a whole statement, without its semicolon.
 */
final class HibernateDdl {

    /** {@code create table <table> (...)}. */
    static final Pattern CREATE_TABLE = Pattern.compile("(?is)create table (?:if not exists )?(\\S+) \\(.*");

    /** {@code alter table [if exists] <table> add column <column> <definition>}. */
    static final Pattern ADD_COLUMN =
            Pattern.compile("(?is)alter table (?:if exists )?(\\S+) add column (?:if not exists )?(\\S+) (.*)");

    /** {@code create [unique] index <name> on <table> (<columns>)}; the last group keeps the parentheses. */
    static final Pattern CREATE_INDEX =
            Pattern.compile("(?is)create (unique )?index (?:if not exists )?(\\S+) on (\\S+) (\\(.*\\))");

    /** {@code alter table [if exists] <table> add constraint <name> unique (<columns>)}, parentheses kept. */
    static final Pattern ADD_UNIQUE =
            Pattern.compile("(?is)alter table (?:if exists )?(\\S+) add constraint (\\S+) unique (\\(.*\\))");

    /** {@code alter table [if exists] <table> add constraint <name> foreign key ...}. */
    static final Pattern ADD_FOREIGN_KEY =
            Pattern.compile("(?is)alter table (?:if exists )?(\\S+) add constraint (\\S+) (foreign key .*)");

    /** {@code create sequence <name> ...}. */
    static final Pattern CREATE_SEQUENCE = Pattern.compile("(?is)create sequence (?:if not exists )?(\\S+).*");

    /** {@code alter table [if exists] <table> alter column <column> set data type <type>}. */
    static final Pattern ALTER_TYPE =
            Pattern.compile("(?is)alter table (?:if exists )?(\\S+) alter column (\\S+) (?:set data )?type (.*)");

    private HibernateDdl() {}

    /** A table's name without its schema or quotes, in lower case, as PostgreSQL keeps an unquoted name. */
    static String unqualified(String table) {
        int dot = table.lastIndexOf('.');
        return ((dot < 0) ? table : table.substring(dot + 1)).replace("\"", "").toLowerCase(Locale.ROOT);
    }
}
