package dev.migrator.autoconfigure;

import dev.migrator.test.postgres.TestPostgres;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Switches password authentication on for one role of the embedded server, which otherwise trusts
 * every local connection, so that a wrong password is really refused.
 */
final class PasswordAuthentication {

    private PasswordAuthentication() {}

    static synchronized void require(String role, String password) {
        JdbcTemplate admin = new JdbcTemplate(TestPostgres.server().adminDataSource());
        admin.execute("DO $$ BEGIN CREATE ROLE " + role + " LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        admin.execute("ALTER ROLE " + role + " PASSWORD '" + password + "'");
        String hbaFile = admin.queryForObject("SHOW hba_file", String.class);
        admin.execute("COPY (SELECT line FROM (VALUES"
                + " (1, 'local all all trust'),"
                + " (2, 'host all " + role + " all scram-sha-256'),"
                + " (3, 'host all all all trust')) AS hba (n, line) ORDER BY n) TO '" + hbaFile + "'");
        admin.execute("SELECT pg_reload_conf()");
    }
}
