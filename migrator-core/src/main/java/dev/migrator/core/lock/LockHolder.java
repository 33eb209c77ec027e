package dev.migrator.core.lock;

import java.util.Optional;

/**
 * The database session that holds the migration lock, as {@code pg_stat_activity} shows it.
 *
 * @param pid the backend process id of the holding session
 * @param applicationName the session's {@code application_name}, empty when it set none
 * @param clientAddress the client address of the session, empty for a Unix socket connection
 * @since 0.1.0
 */
public record LockHolder(int pid, Optional<String> applicationName, Optional<String> clientAddress) {

    /**
     * Validate the components.
     *
     * @throws NullPointerException when an optional component is {@code null}
     */
    public LockHolder {
        java.util.Objects.requireNonNull(applicationName, "applicationName");
        java.util.Objects.requireNonNull(clientAddress, "clientAddress");
    }

    @Override
    public String toString() {
        return "pid " + this.pid + " (application '" + this.applicationName.orElse("") + "', client "
                + this.clientAddress.orElse("local socket") + ")";
    }
}
