package dev.migrator.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Settings are validated once, in one type, and failures name the setting as the caller words it. */
class MigratorSettingsTests {

    private final DataSource dataSource = new PGSimpleDataSource();

    @Test
    void everySettingIsOneComponentAndEveryComponentIsASetting() {
        assertThat(Arrays.stream(MigratorSettings.class.getRecordComponents()).map(RecordComponent::getName))
                .containsExactlyElementsOf(
                        Stream.of(Setting.values()).map(Setting::componentName).toList());
    }

    @Test
    void theConfigurationStartsFromTheDefaults() {
        assertThat(Migrator.configure(this.dataSource).settings()).isEqualTo(MigratorSettings.defaults());
    }

    @Test
    void theDefaultApplicationNameNamesTheHost() {
        assertThat(MigratorSettings.defaults().applicationName())
                .startsWith("migrator@")
                .hasSizeGreaterThan(9);
    }

    @Test
    void invalidValuesAreNamedAfterTheConfigurationMethods() {
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(
                        () -> Migrator.configure(this.dataSource).batchSize(0).load())
                .satisfies(ex -> assertThat(ex.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .withMessage("Invalid value '0' for 'batchSize'. Use 1 or more.");
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() ->
                        Migrator.configure(this.dataSource).dataTarget("two").settings())
                .withMessageContaining("Invalid value 'two' for 'dataTarget'")
                .withMessageContaining("'latest', 'current' or a version");
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() ->
                        Migrator.configure(this.dataSource).dataPrefix("R").settings())
                .withMessageContaining("for 'dataPrefix'");
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> Migrator.configure(this.dataSource)
                        .lockWaitTimeout(Duration.ofSeconds(-1))
                        .settings())
                .withMessageContaining("for 'lockWaitTimeout'");
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> Migrator.configure(this.dataSource)
                        .connectRetries(1, Duration.ZERO)
                        .settings())
                .withMessageContaining("for 'connectRetriesInterval'");
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() ->
                        Migrator.configure(this.dataSource).applicationName(" ").settings())
                .withMessageContaining("for 'applicationName'");
    }

    @Test
    void invalidBackfillBatchesAreRefusedWithTheValueAndTheRange() {
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> Migrator.configure(this.dataSource)
                        .batchSize(5000)
                        .batchSizeMax(1000)
                        .settings())
                .withMessageContaining("Invalid value '1000' for 'batchSizeMax'")
                .withMessageContaining("at least the batch size (5000)");
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> Migrator.configure(this.dataSource)
                        .batchTime(Duration.ofMillis(-1))
                        .settings())
                .withMessageContaining("Invalid value 'PT-0.001S' for 'batchTime'")
                .withMessageContaining("zero for batches of a fixed size");
    }

    @Test
    void invalidTimeoutsAreRefusedWithTheValueAndTheRange() {
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> Migrator.configure(this.dataSource)
                        .lockTimeout(Duration.ofSeconds(5), Duration.ofSeconds(1))
                        .settings())
                .withMessageContaining("Invalid value 'PT1S' for 'lockTimeoutMax'")
                .withMessageContaining("no shorter than the first try's lock timeout ('PT5S')");
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> Migrator.configure(this.dataSource)
                        .lockRetries(-1, Duration.ofSeconds(1))
                        .settings())
                .withMessage("Invalid value '-1' for 'lockRetries'. Use 0 or more.");
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> Migrator.configure(this.dataSource)
                        .statementTimeout(Duration.ofMillis(-1))
                        .settings())
                .withMessageContaining("for 'statementTimeout'")
                .withMessageContaining("from zero (none) to 24 days");
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> Migrator.configure(this.dataSource)
                        .nonTransactionalTimeouts(Duration.ofDays(30), Duration.ZERO)
                        .settings())
                .withMessageContaining("Invalid value 'PT720H' for 'nonTransactionalLockTimeout'");
        assertThat(Migrator.configure(this.dataSource)
                        .lockTimeout(Duration.ZERO, Duration.ZERO)
                        .settings()
                        .lockTimeout())
                .as("zero turns the lock timeout off")
                .isZero();
    }

    @Test
    void invalidValuesAreNamedAsTheConfiguredNamesWordThem() {
        SettingNames properties = new SettingNames() {

            @Override
            public String setting(Setting setting) {
                return "app." + setting.componentName();
            }

            @Override
            public String connection() {
                return "the URL";
            }

            @Override
            public String credentials() {
                return "the login";
            }

            @Override
            public String ownerLogin() {
                return "the owner's login";
            }
        };

        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> Migrator.configure(this.dataSource)
                        .settingNames(properties)
                        .schemaTarget("next")
                        .load())
                .withMessageStartingWith("Invalid value 'next' for 'app.schemaTarget'.");
    }

    @Test
    void runOptionsCheckTheirTargetsAndKeepTheSettingsOtherwise() {
        MigratorSettings settings = MigratorSettings.defaults();
        RunOptions options = RunOptions.defaults().schemaTarget("7");

        assertThat(options.schemaTarget(settings)).isEqualTo("7");
        assertThat(options.dataTarget(settings)).isEqualTo(settings.dataTarget());
        assertThat(options.lockWaitTimeout(settings)).isEqualTo(settings.lockWaitTimeout());
        assertThatExceptionOfType(MigratorException.class)
                .isThrownBy(() -> RunOptions.defaults().dataTarget("two"))
                .satisfies(ex -> assertThat(ex.code()).isEqualTo(ErrorCode.CONFIGURATION))
                .withMessageContaining("Invalid value 'two' for 'dataTarget'");
    }

    @Test
    void messagesMaskCredentials() {
        MigratorException ex = new MigratorException(
                ErrorCode.MIGRATION,
                "Could not run CREATE ROLE app LOGIN PASSWORD 's3cret'"
                        + " against jdbc:postgresql://db/app?user=app&password=hunter2.",
                "Connect to postgres://app:hunter2@db/app instead.",
                null);

        assertThat(ex.getMessage())
                .doesNotContain("s3cret")
                .doesNotContain("hunter2")
                .contains("PASSWORD '******'")
                .contains("password=******")
                .contains("postgres://app:******@db/app");
        assertThat(ex.description()).doesNotContain("s3cret");
        assertThat(ex.action()).doesNotContain("hunter2");
    }
}
