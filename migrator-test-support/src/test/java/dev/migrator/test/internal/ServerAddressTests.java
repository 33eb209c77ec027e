package dev.migrator.test.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerAddressTests {

    @Test
    void parseTakesTheUrlApart() {
        ServerAddress address = ServerAddress.parse(
                "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=secret&ApplicationName=my%20app");

        assertThat(address)
                .isEqualTo(new ServerAddress(
                        "127.0.0.1:5432", "postgres", "postgres", "secret", Map.of("ApplicationName", "my app")));
    }

    @Test
    void parseDefaultsToNoPasswordAndTheUserOfThisProcess() {
        ServerAddress address = ServerAddress.parse("jdbc:postgresql://localhost/postgres");

        assertThat(address.user()).isEqualTo(System.getProperty("user.name"));
        assertThat(address.password()).isEmpty();
    }

    @Test
    void jdbcUrlNamesTheNewDatabaseAndKeepsOtherParametersButNoCredentials() {
        ServerAddress address = ServerAddress.parse("jdbc:postgresql://127.0.0.1:5432/postgres"
                        + "?user=postgres&password=secret&ApplicationName=my%20app&sslmode=disable")
                .withDatabase("migrator_test_1");

        assertThat(address.jdbcUrl())
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/migrator_test_1?ApplicationName=my+app&sslmode=disable");
        assertThat(ServerAddress.parse(address.jdbcUrl()).parameters())
                .isEqualTo(Map.of("ApplicationName", "my app", "sslmode", "disable"));
    }

    @Test
    void jdbcUrlKeepsEveryHostWithItsPort() {
        ServerAddress address = ServerAddress.parse("jdbc:postgresql://primary,standby:5433/postgres");

        assertThat(address.jdbcUrl()).isEqualTo("jdbc:postgresql://primary:5432,standby:5433/postgres");
    }

    @Test
    void redactedUrlAndToStringShowNoCredentialsOrParameters() {
        ServerAddress address =
                ServerAddress.parse("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=secret");

        assertThat(address.redactedUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/postgres");
        assertThat(address).hasToString("jdbc:postgresql://127.0.0.1:5432/postgres");
    }

    @Test
    void parseRejectsUserInfoWithoutShowingThePassword() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServerAddress.parse("jdbc:postgresql://postgres:secret@127.0.0.1:5432/postgres"))
                .withMessageContaining("no user name or password before the host")
                .withMessageNotContaining("secret");
    }

    @Test
    void parseRejectsUrlsOfOtherDatabases() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ServerAddress.parse("jdbc:mysql://127.0.0.1:3306/test?password=secret"))
                .withMessageContaining("not a PostgreSQL JDBC URL")
                .withMessageNotContaining("secret");
    }
}
