package dev.migrator.demo.customer;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * A customer of the shop, identified by a unique email address.
 *
 * @since 0.1.0
 */
@Entity
public class Customer {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    private String email;

    private String name;

    /** Canonical domain of the email, from {@link EmailDomains}; {@code null} until the backfill reaches old rows. */
    @Column(length = 253)
    private @Nullable String emailDomain;

    private Instant createdAt;

    Customer(String email, String name, String emailDomain) {
        this.email = email;
        this.name = name;
        this.emailDomain = emailDomain;
        // PostgreSQL keeps microseconds: truncating here makes the saved value the one answered.
        this.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** For JPA, which fills the fields itself. */
    protected Customer() {}

    /**
     * Return the id of this customer.
     *
     * @return the id, or {@code null} before the customer is saved
     */
    public @Nullable Long getId() {
        return this.id;
    }

    String getEmail() {
        return this.email;
    }

    String getName() {
        return this.name;
    }

    @Nullable
    String getEmailDomain() {
        return this.emailDomain;
    }

    Instant getCreatedAt() {
        return this.createdAt;
    }
}
