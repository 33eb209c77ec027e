package dev.migrator.demo.order;

import dev.migrator.demo.product.Product;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import org.jspecify.annotations.Nullable;

@Entity
class OrderLine {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    private PurchaseOrder order;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    private Product product;

    private int quantity;

    private int unitPriceCents;

    OrderLine(PurchaseOrder order, Product product, int quantity) {
        this.order = order;
        this.product = product;
        this.quantity = quantity;
        // Kept on the line: a later price change must not change orders already placed.
        this.unitPriceCents = product.getPriceCents();
    }

    /** For JPA, which fills the fields itself. */
    protected OrderLine() {}

    Product getProduct() {
        return this.product;
    }

    int getQuantity() {
        return this.quantity;
    }

    int getUnitPriceCents() {
        return this.unitPriceCents;
    }

    long getTotalCents() {
        return (long) this.quantity * this.unitPriceCents;
    }
}
