package dev.migrator.demo.customer;

import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Stores {@link Customer customers}.
 *
 * @since 0.1.0
 */
public interface CustomerRepository extends JpaRepository<Customer, Long> {

    /**
     * Find the customers after an id, in id order.
     *
     * @param id the id to start after
     * @param limit the most customers to return
     * @return the customers, possibly none
     */
    List<Customer> findByIdGreaterThanOrderById(long id, Limit limit);

    /**
     * Find the customers of an email domain after an id, in id order.
     *
     * @param emailDomain the domain in canonical form: lower case, an internationalized domain in punycode
     * @param id the id to start after
     * @param limit the most customers to return
     * @return the customers, possibly none
     */
    List<Customer> findByEmailDomainAndIdGreaterThanOrderById(String emailDomain, long id, Limit limit);
}
