package dev.migrator.demo.customer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.migrator.test.autoconfigure.MigratorTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.data.domain.Limit;

/**
 * The repository on a database that every migration built, the Java ones included: D2 seeds five demo customers,
 * whose addresses spell their domains in several ways, and the backfill D3 stores each domain in canonical form.
 * {@code @MigratorTest} brings JDBC and migrator; the test adds JPA, and {@link EmailDomains}, which D3 needs.
 */
@MigratorTest(properties = "demo.seed.customers=5")
@ImportAutoConfiguration({HibernateJpaAutoConfiguration.class, DataJpaRepositoriesAutoConfiguration.class})
@Import(EmailDomains.class)
class CustomerRepositoryIntegrationTests {

    @Autowired
    CustomerRepository customers;

    @Autowired
    EmailDomains emailDomains;

    @Test
    void findsSeededCustomersByTheDomainTheBackfillDerived() {
        List<Customer> found = customers.findByEmailDomainAndIdGreaterThanOrderById("example.com", 0, Limit.of(10));

        assertThat(found)
                .extracting(Customer::getEmail)
                .containsExactly("demo-customer-1@Example.COM", "demo-customer-5@example.com");
        assertThat(customers.findByEmailDomainAndIdGreaterThanOrderById("xn--bcher-kva.example", 0, Limit.of(10)))
                .extracting(Customer::getEmail)
                .containsExactly("demo-customer-4@bücher.example");
    }

    @Test
    void pagesThroughCustomersInIdOrderAfterAnId() {
        Customer saved = customers.saveAndFlush(
                new Customer("ada@Example.COM", "Ada Lovelace", emailDomains.of("ada@Example.COM")));

        List<Customer> page = customers.findByIdGreaterThanOrderById(0, Limit.of(3));
        List<Customer> last = customers.findByIdGreaterThanOrderById(page.get(2).getId(), Limit.of(10));

        assertThat(page)
                .extracting(Customer::getName)
                .containsExactly("Demo customer 1", "Demo customer 2", "Demo customer 3");
        assertThat(last).extracting(Customer::getId).endsWith(saved.getId()).hasSize(3);
        assertThat(customers.findByEmailDomainAndIdGreaterThanOrderById("example.com", 0, Limit.of(10)))
                .extracting(Customer::getName)
                .containsExactly("Demo customer 1", "Demo customer 5", "Ada Lovelace");
    }
}
