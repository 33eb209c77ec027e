package dev.migrator.demo.order;

import dev.migrator.demo.customer.Customer;
import dev.migrator.demo.product.Product;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

@Entity
class PurchaseOrder {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    private Customer customer;

    private Instant createdAt;

    private @Nullable String note;

    @OneToMany(mappedBy = "order", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("id")
    private List<OrderLine> lines = new ArrayList<>();

    PurchaseOrder(Customer customer, @Nullable String note) {
        this.customer = customer;
        this.note = note;
        // PostgreSQL keeps microseconds: truncating here makes the saved value the one answered.
        this.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** For JPA, which fills the fields itself. */
    protected PurchaseOrder() {}

    void addLine(Product product, int quantity) {
        this.lines.add(new OrderLine(this, product, quantity));
    }

    @Nullable
    Long getId() {
        return this.id;
    }

    Customer getCustomer() {
        return this.customer;
    }

    Instant getCreatedAt() {
        return this.createdAt;
    }

    @Nullable
    String getNote() {
        return this.note;
    }

    List<OrderLine> getLines() {
        return List.copyOf(this.lines);
    }
}
