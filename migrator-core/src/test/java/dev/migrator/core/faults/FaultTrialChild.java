package dev.migrator.core.faults;

import dev.migrator.core.Migrator;
import dev.migrator.core.MigratorException;
import dev.migrator.core.RunReport;
import dev.migrator.core.data.D2__CountEachItemOnce;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The main class of the child JVM that the kill trials start and kill with SIGKILL: one migrator
 * run. Arguments: JDBC URL, user name, {@code application_name} of its sessions, schema location and
 * data location (a {@code filesystem:} location, or {@code -} for none). With data, the counting
 * backfill {@link D2__CountEachItemOnce} joins the run. The password comes from the environment
 * variable {@value #PASSWORD_VARIABLE}.
 */
final class FaultTrialChild {

    static final String PASSWORD_VARIABLE = "FAULT_TRIAL_PASSWORD";

    /** Printed just before the run starts: the trials time their kills from it. */
    static final String STARTS = "child: run starts";

    private FaultTrialChild() {}

    public static void main(String[] args) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(args[0]);
        dataSource.setUser(args[1]);
        dataSource.setPassword(Objects.requireNonNullElse(System.getenv(PASSWORD_VARIABLE), ""));
        dataSource.setApplicationName(args[2]);
        boolean data = !"-".equals(args[4]);
        Migrator migrator = Migrator.configure(dataSource)
                .schemaLocations(args[3])
                .dataLocations(data ? List.of(args[4]) : List.of())
                .dataMigrations(data ? List.of(new D2__CountEachItemOnce()) : List.of())
                .lockWaitTimeout(Duration.ofSeconds(30))
                .applicationName(args[2])
                .load();
        System.out.println(STARTS);
        try {
            RunReport report = migrator.migrate();
            System.out.println("child: run succeeded, " + report.schemaApplied().size() + " schema and "
                    + report.dataApplied().size() + " data migration(s) applied");
            System.exit(0);
        } catch (MigratorException ex) {
            System.out.println("child: run failed: " + ex.getMessage());
            System.exit(1);
        }
    }
}
