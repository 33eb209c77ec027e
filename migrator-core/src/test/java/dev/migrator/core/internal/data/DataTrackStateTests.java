package dev.migrator.core.internal.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigrationEntry;
import dev.migrator.core.Setting;
import dev.migrator.core.SettingNames;
import dev.migrator.core.internal.Problem;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

/** The data track's decisions, from local migrations, history rows and a target, without a database. */
class DataTrackStateTests {

    private static final List<String> LOCATIONS = List.of("classpath:db/data");

    @Test
    void everythingIsPendingOnAnEmptyHistoryInVersionOrderThenRepeatables() {
        DataTrackState state = state(
                List.of(versioned("10", 1), repeatable("cities", 7), versioned("2", 2), versioned("1.1", 3)),
                List.of(),
                "latest");

        assertThat(state.pending())
                .extracting(ResolvedDataMigration::script)
                .containsExactly("D1.1__m.sql", "D2__m.sql", "D10__m.sql", "R__cities.sql");
        assertThat(state.current()).isEmpty();
        assertThat(state.problems()).isEmpty();
    }

    @Test
    void appliedVersionsAreNotPendingAndTheHighestIsCurrent() {
        DataTrackState state = state(
                List.of(versioned("1", 1), versioned("2", 2), versioned("3", 3)),
                List.of(applied(1, "1", 1), applied(2, "2", 2)),
                "latest");

        assertThat(state.pending()).extracting(ResolvedDataMigration::script).containsExactly("D3__m.sql");
        assertThat(state.current()).contains("2");
    }

    @Test
    void aVersionWhoseLastAttemptFailedIsFailedAndPendingAgain() {
        DataTrackState state = state(List.of(versioned("1", 1)), List.of(failed(1, "1", 1)), "latest");

        assertThat(state.failed()).extracting(MigrationEntry::version).containsExactly(Optional.of("1"));
        assertThat(state.pending()).extracting(ResolvedDataMigration::script).containsExactly("D1__m.sql");
    }

    @Test
    void aSuccessAfterAFailureClearsTheFailure() {
        DataTrackState state =
                state(List.of(versioned("1", 1)), List.of(failed(1, "1", 1), applied(2, "1", 1)), "latest");

        assertThat(state.failed()).isEmpty();
        assertThat(state.pending()).isEmpty();
    }

    @Test
    void aRepeatableIsPendingAgainOnlyWhenItsChecksumChanged() {
        List<DataHistoryRow> history = List.of(appliedRepeatable(1, "cities", 7));

        assertThat(state(List.of(repeatable("cities", 7)), history, "latest").pending())
                .isEmpty();
        assertThat(state(List.of(repeatable("cities", 8)), history, "latest").pending())
                .extracting(ResolvedDataMigration::script)
                .containsExactly("R__cities.sql");
    }

    @Test
    void aVersionTargetStopsThereAndCurrentRunsNothingNew() {
        List<ResolvedDataMigration> local =
                List.of(versioned("1", 1), versioned("2", 2), versioned("3", 3), repeatable("cities", 7));

        assertThat(state(local, List.of(), "2").pending())
                .extracting(ResolvedDataMigration::script)
                .containsExactly("D1__m.sql", "D2__m.sql", "R__cities.sql");
        assertThat(state(local, List.of(applied(1, "1", 1)), "current").pending())
                .isEmpty();
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() {
        DataTrackState state = state(
                List.of(versioned("2", 99), versioned("1.5", 4), versioned("3", 3)),
                List.of(applied(1, "1", 1), applied(2, "2", 2)),
                "7");

        assertThat(state.problems())
                .extracting(Problem::code)
                .containsExactly(
                        ErrorCode.VALIDATION, ErrorCode.VALIDATION, ErrorCode.CONFIGURATION, ErrorCode.VALIDATION);
        assertThat(state.problems())
                .extracting(Problem::description)
                .anySatisfy(d ->
                        assertThat(d).contains("Applied data migration '1'").contains("missing locally"))
                .anySatisfy(d -> assertThat(d).contains("'D2__m.sql' changed after it was applied"))
                .anySatisfy(d -> assertThat(d).contains("Data target '7' matches no data migration"))
                .anySatisfy(d -> assertThat(d)
                        .contains("'D1.5__m.sql' has version '1.5'")
                        .contains("never run"));
    }

    @Test
    void aTargetThatNamesNoMigrationNamesTheSettingAsTheNamesDo() {
        DataTrackState state = DataTrackState.of(List.of(versioned("1", 1)), List.of(), "4", LOCATIONS, new Named());

        assertThat(state.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.description()).contains("'4'").contains("latest is '1'");
            assertThat(problem.action()).contains("'the-data-target'");
        });
    }

    private static DataTrackState state(List<ResolvedDataMigration> local, List<DataHistoryRow> rows, String target) {
        return DataTrackState.of(local, rows, target, LOCATIONS, SettingNames.CORE);
    }

    private static ResolvedDataMigration versioned(String version, int checksum) {
        return new ResolvedDataMigration(
                Optional.of(MigrationVersion.fromVersion(version)),
                "m",
                "D" + version + "__m.sql",
                "SQL",
                Optional.of(checksum),
                true,
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    private static ResolvedDataMigration repeatable(String description, int checksum) {
        return new ResolvedDataMigration(
                Optional.empty(),
                description,
                "R__" + description + ".sql",
                "SQL_REPEATABLE",
                Optional.of(checksum),
                true,
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    private static DataHistoryRow applied(int rank, String version, int checksum) {
        return row(rank, Optional.of(version), "m", checksum, true);
    }

    private static DataHistoryRow failed(int rank, String version, int checksum) {
        return row(rank, Optional.of(version), "m", checksum, false);
    }

    private static DataHistoryRow appliedRepeatable(int rank, String description, int checksum) {
        return row(rank, Optional.empty(), description, checksum, true);
    }

    private static DataHistoryRow row(
            int rank, Optional<String> version, String description, int checksum, boolean success) {
        return new DataHistoryRow(
                rank,
                version,
                description,
                "SQL",
                version.map(v -> "D" + v + "__m.sql").orElse("R__" + description + ".sql"),
                Optional.of(checksum),
                "postgres",
                Instant.EPOCH,
                1,
                Optional.empty(),
                success);
    }

    private static final class Named implements SettingNames {

        @Override
        public String setting(Setting setting) {
            return "the-" + setting.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        @Override
        public String connection() {
            return "the connection";
        }

        @Override
        public String credentials() {
            return "the credentials";
        }

        @Override
        public String ownerLogin() {
            return "the owner";
        }
    }
}
