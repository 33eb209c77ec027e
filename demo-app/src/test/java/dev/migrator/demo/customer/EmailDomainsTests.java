package dev.migrator.demo.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class EmailDomainsTests {

    private final EmailDomains emailDomains = new EmailDomains();

    @Test
    void domainIsLowerCaseWithoutTrailingDot() {
        assertThat(this.emailDomains.of("Ada@Shop.Example.ORG.")).isEqualTo("shop.example.org");
    }

    @Test
    void domainIsTheTextAfterTheLastAt() {
        assertThat(this.emailDomains.of("\"ada@home\"@example.com")).isEqualTo("example.com");
    }

    @Test
    void internationalizedDomainIsStoredInPunycode() {
        assertThat(this.emailDomains.of("ada@Bücher.example")).isEqualTo("xn--bcher-kva.example");
        assertThat(this.emailDomains.canonical("xn--bcher-kva.example")).isEqualTo("xn--bcher-kva.example");
    }

    @Test
    void domainThatIsNoValidIdnIsOnlyLowerCased() {
        String label = "Ä".repeat(64);
        assertThat(this.emailDomains.canonical(label + ".example")).isEqualTo("ä".repeat(64) + ".example");
    }

    @Test
    void addressWithoutAtHasNoDomain() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> this.emailDomains.of("ada.example.com"))
                .withMessageContaining("'ada.example.com' has no '@'");
    }
}
