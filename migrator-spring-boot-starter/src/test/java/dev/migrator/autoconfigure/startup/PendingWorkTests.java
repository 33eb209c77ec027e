package dev.migrator.autoconfigure.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.migrator.autoconfigure.MigratorProperties.OnPending;
import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigrationEntry;
import dev.migrator.core.MigratorException;
import dev.migrator.core.Track;
import dev.migrator.core.TrackStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** What startup does with pending work when auto-run is off ({@code migrator.on-pending}). */
@ExtendWith(OutputCaptureExtension.class)
class PendingWorkTests {

    private static final TrackStatus PENDING = new TrackStatus(
            Optional.of("1"),
            "latest",
            List.of(new MigrationEntry(Optional.of("2"), "add name", "V2__add_name.sql", "SQL")),
            List.of());

    @Test
    void failRefusesToStartListingThePendingMigrations() {
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> PendingWork.check(Track.SCHEMA, PENDING, OnPending.FAIL))
                .satisfies(ex -> assertThat(ex.code()).isEqualTo(ErrorCode.PENDING))
                .withMessageContaining("The schema track at 1 is not up to date and migrator.auto-run is off:")
                .withMessageContaining("pending '2 add name'")
                .withMessageContaining("migrator.on-pending=warn");
    }

    @Test
    void warnStartsAndLogsThePendingMigrations(CapturedOutput output) {
        PendingWork.check(Track.DATA, PENDING, OnPending.WARN);

        assertThat(output)
                .contains("WARN")
                .contains("The data track at 1 is not up to date")
                .contains("'2 add name'");
    }

    @Test
    void anUpToDateTrackIsLoggedAsSuch(CapturedOutput output) {
        PendingWork.check(
                Track.SCHEMA, new TrackStatus(Optional.of("2"), "latest", List.of(), List.of()), OnPending.FAIL);

        assertThat(output).contains("The schema track is up to date (2); migrator.auto-run is off");
    }
}
