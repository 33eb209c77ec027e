package dev.migrator.actuate;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the {@code migrations} health indicator, prefix {@code migrator.health}.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("migrator.health")
public class MigratorHealthProperties {

    /**
     * Health status while migrations are pending, for example OUT_OF_SERVICE (the instance takes no
     * traffic until they are applied), UP (pending work is expected, for example with a migration
     * job) or DOWN.
     */
    private String pendingStatus = "OUT_OF_SERVICE";

    /**
     * Return the health status while migrations are pending.
     *
     * @return the status code, never {@code null}
     */
    public String getPendingStatus() {
        return this.pendingStatus;
    }

    /**
     * Set the health status while migrations are pending.
     *
     * @param pendingStatus the status code
     */
    public void setPendingStatus(String pendingStatus) {
        this.pendingStatus = pendingStatus;
    }
}
