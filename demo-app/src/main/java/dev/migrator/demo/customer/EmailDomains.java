package dev.migrator.demo.customer;

import java.net.IDN;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Derives the domain of an email address in one canonical form: lower case, without a trailing dot, and an
 * internationalized domain in its ASCII (punycode) form, so that {@code Shop.Example.ORG} and {@code shop.example.org}
 * count as one domain and {@code bücher.example} is stored as {@code xn--bcher-kva.example}.
 *
 * <p>One bean for the one rule: the application applies it to new customers, and the data migration
 * {@link D3__BackfillCustomerEmailDomain} to the customers that existed before the column did.
 */
@Component
class EmailDomains {

    /** Longest domain name in DNS; also the width of {@code customer.email_domain}. */
    private static final int MAX_LENGTH = 253;

    /**
     * Return the canonical domain of an email address: the part after its last {@code @}.
     *
     * @param email the address
     * @return the domain
     * @throws IllegalArgumentException when the address has no {@code @}
     */
    String of(String email) {
        int at = email.lastIndexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException(
                    "Email '" + email + "' has no '@', so it has no domain. Correct the address of this customer.");
        }
        return canonical(email.substring(at + 1));
    }

    /**
     * Return the canonical form of a domain.
     *
     * @param domain the domain as written
     * @return the domain in canonical form
     */
    String canonical(String domain) {
        String name = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        String lowerCase = name.toLowerCase(Locale.ROOT);
        try {
            String ascii = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            return (ascii.length() <= MAX_LENGTH) ? ascii : lowerCase;
        } catch (IllegalArgumentException ex) {
            // Not a valid IDN (a label over 63 characters, say): still one value per spelling, just not punycode.
            return lowerCase;
        }
    }
}
