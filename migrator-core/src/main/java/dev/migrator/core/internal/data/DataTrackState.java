package dev.migrator.core.internal.data;

import dev.migrator.core.ErrorCode;
import dev.migrator.core.MigrationEntry;
import dev.migrator.core.Setting;
import dev.migrator.core.SettingNames;
import dev.migrator.core.internal.Problem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Where the data track stands: a pure function of the local migrations, the history rows and the
 * target, so that every rule (what is pending, what failed, what is wrong) is decided in one place
 * and tested without a database.
 *
 * @param pending the migrations a run would apply, in order: versioned by version, then repeatable
 *     by description
 * @param failed the versions whose last attempt failed
 * @param current the highest applied version
 * @param problems every problem found: applied migrations missing or changed, new ones below the
 *     applied version, a target that names no migration
 */
public record DataTrackState(
        List<ResolvedDataMigration> pending,
        List<MigrationEntry> failed,
        Optional<String> current,
        List<Problem> problems) {

    /**
     * Decide where the track stands.
     *
     * @param resolved the local migrations, without duplicates
     * @param rows the history rows, oldest first
     * @param target {@code latest}, {@code current} or a version
     * @param locations the data locations, for messages
     * @param names how messages name settings
     * @return the state
     */
    public static DataTrackState of(
            List<ResolvedDataMigration> resolved,
            List<DataHistoryRow> rows,
            String target,
            List<String> locations,
            SettingNames names) {
        List<Problem> problems = new ArrayList<>();
        Map<MigrationVersion, DataHistoryRow> appliedVersions = new LinkedHashMap<>();
        Map<MigrationVersion, DataHistoryRow> failedVersions = new LinkedHashMap<>();
        Map<String, DataHistoryRow> repeatables = new HashMap<>();
        Optional<MigrationVersion> baseline = Optional.empty();
        for (DataHistoryRow row : rows) {
            if (BASELINE.equals(row.type()) && row.version().isPresent()) {
                MigrationVersion version =
                        MigrationVersion.fromVersion(row.version().get());
                if (baseline.isEmpty() || version.compareTo(baseline.get()) > 0) {
                    baseline = Optional.of(version);
                }
                continue;
            }
            if (row.version().isPresent()) {
                MigrationVersion version =
                        MigrationVersion.fromVersion(row.version().get());
                if (row.success()) {
                    appliedVersions.put(version, row);
                    failedVersions.remove(version);
                } else if (!appliedVersions.containsKey(version)) {
                    failedVersions.put(version, row);
                }
            } else if (row.success()) {
                repeatables.put(row.description(), row);
            }
        }
        Map<MigrationVersion, ResolvedDataMigration> local = new HashMap<>();
        resolved.stream()
                .filter(m -> m.version().isPresent())
                .forEach(m -> local.put(m.version().get(), m));
        for (DataHistoryRow row : appliedVersions.values()) {
            ResolvedDataMigration migration =
                    local.get(MigrationVersion.fromVersion(row.version().get()));
            if (migration == null) {
                problems.add(new Problem(
                        ErrorCode.VALIDATION,
                        "Applied data migration '" + row.version().get() + "' ('" + row.script()
                                + "') is missing locally.",
                        "Restore it in " + locations + " (or its Java bean); applied migrations must stay."));
            } else if (row.checksum().isPresent()
                    && migration.checksum().isPresent()
                    && !row.checksum().equals(migration.checksum())) {
                problems.add(new Problem(
                        ErrorCode.VALIDATION,
                        "Data migration '" + migration.script() + "' changed after it was applied (checksum "
                                + row.checksum().get() + " applied, "
                                + migration.checksum().get() + " now).",
                        "Restore it as it was applied and put the change in a new data migration."));
            }
        }
        Optional<MigrationVersion> current = Stream.concat(appliedVersions.keySet().stream(), baseline.stream())
                .max(Comparator.naturalOrder());
        Optional<MigrationVersion> below = baseline;
        Optional<MigrationVersion> targetVersion = targetVersion(target, local, names, problems);
        boolean upToCurrent = "current".equalsIgnoreCase(target);
        List<ResolvedDataMigration> pending = new ArrayList<>();
        for (ResolvedDataMigration m : resolved.stream()
                .filter(m -> m.version().isPresent())
                .filter(m -> !appliedVersions.containsKey(m.version().get()))
                // Up to the baseline, the work was done before the data track: taken as applied.
                .filter(m -> below.isEmpty() || m.version().get().compareTo(below.get()) > 0)
                .sorted(Comparator.comparing(m -> m.version().get()))
                .toList()) {
            MigrationVersion version = m.version().get();
            if (current.isPresent() && version.compareTo(current.get()) < 0 && !failedVersions.containsKey(version)) {
                problems.add(new Problem(
                        ErrorCode.VALIDATION,
                        "Data migration '" + m.script() + "' has version '"
                                + m.versionText().get()
                                + "', below the applied data version '"
                                + current.get().getVersion()
                                + "', so it would never run.",
                        "Give it a version above " + current.get().getVersion() + "."));
            } else if (targetVersion.map(t -> version.compareTo(t) <= 0).orElse(!upToCurrent)) {
                pending.add(m);
            }
        }
        if (!upToCurrent) {
            resolved.stream()
                    .filter(ResolvedDataMigration::isRepeatable)
                    .filter(m -> !m.checksum()
                            .equals(Optional.ofNullable(repeatables.get(m.description()))
                                    .flatMap(DataHistoryRow::checksum)))
                    .sorted(Comparator.comparing(ResolvedDataMigration::description))
                    .forEach(pending::add);
        }
        List<MigrationEntry> failed = failedVersions.values().stream()
                .map(row -> new MigrationEntry(row.version(), row.description(), row.script(), row.type()))
                .toList();
        return new DataTrackState(
                List.copyOf(pending), failed, current.map(MigrationVersion::getVersion), List.copyOf(problems));
    }

    /** The type of the history row that baselines the data track. */
    public static final String BASELINE = "BASELINE";

    /**
     * The rows as the state reads them: with a baseline configured and no row yet, a baseline row at
     * its version stands first, so that status, previews and rehearsals see what the first run will
     * record.
     */
    public static List<DataHistoryRow> withBaseline(List<DataHistoryRow> rows, String baselineVersion) {
        if (!rows.isEmpty() || baselineVersion.isEmpty()) {
            return rows;
        }
        return List.of(baselineRow(baselineVersion));
    }

    /** A baseline row at a version, as the first run records it. */
    static DataHistoryRow baselineRow(String version) {
        return new DataHistoryRow(
                1,
                Optional.of(version),
                "<< Data Baseline >>",
                BASELINE,
                "<< Data Baseline >>",
                Optional.empty(),
                "",
                java.time.Instant.EPOCH,
                0,
                Optional.empty(),
                true);
    }

    private static Optional<MigrationVersion> targetVersion(
            String target,
            Map<MigrationVersion, ResolvedDataMigration> local,
            SettingNames names,
            List<Problem> problems) {
        if ("latest".equalsIgnoreCase(target) || "current".equalsIgnoreCase(target)) {
            return Optional.empty();
        }
        MigrationVersion version = MigrationVersion.fromVersion(target);
        if (!local.containsKey(version)) {
            String latest = local.keySet().stream()
                    .max(Comparator.naturalOrder())
                    .map(MigrationVersion::getVersion)
                    .orElse("none");
            problems.add(new Problem(
                    ErrorCode.CONFIGURATION,
                    "Data target '" + target + "' matches no data migration (latest is '" + latest + "').",
                    "Set " + names.quoted(Setting.DATA_TARGET) + " to an existing version, 'latest' or 'current'."));
        }
        return Optional.of(version);
    }
}
