package dev.migrator.demo.product;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import org.jspecify.annotations.Nullable;

/**
 * A product in the catalog, identified by a unique SKU, with its current price in cents.
 *
 * @since 0.1.0
 */
@Entity
public class Product {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    private String sku;

    private String name;

    private int priceCents;

    /** For JPA, which fills the fields itself. */
    protected Product() {}

    /**
     * Return the id of this product.
     *
     * @return the id, or {@code null} before the product is saved
     */
    public @Nullable Long getId() {
        return this.id;
    }

    public String getSku() {
        return this.sku;
    }

    public String getName() {
        return this.name;
    }

    public int getPriceCents() {
        return this.priceCents;
    }
}
