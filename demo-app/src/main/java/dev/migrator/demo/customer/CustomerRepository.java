package dev.migrator.demo.customer;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Stores {@link Customer customers}.
 *
 * @since 0.1.0
 */
public interface CustomerRepository extends JpaRepository<Customer, Long> {}
