package dev.migrator.demo.product;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Reads the {@link Product product} catalog.
 *
 * @since 0.1.0
 */
public interface ProductRepository extends JpaRepository<Product, Long> {

    /**
     * Find the products with the given SKUs.
     *
     * @param skus the SKUs to look for
     * @return the products found, without an entry for an unknown SKU
     */
    List<Product> findBySkuIn(Collection<String> skus);
}
