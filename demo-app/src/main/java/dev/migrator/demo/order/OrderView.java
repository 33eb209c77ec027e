package dev.migrator.demo.order;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** An order as {@code /api/orders} answers it. */
record OrderView(
        Long id,
        Long customerId,
        Instant createdAt,
        @Nullable String note,
        List<Line> lines,
        long totalCents) {

    static OrderView of(PurchaseOrder order) {
        List<Line> lines = order.getLines().stream().map(Line::of).toList();
        long totalCents = lines.stream().mapToLong(Line::totalCents).sum();
        return new OrderView(
                order.getId(), order.getCustomer().getId(), order.getCreatedAt(), order.getNote(), lines, totalCents);
    }

    record Line(String sku, String name, int quantity, int unitPriceCents, long totalCents) {

        static Line of(OrderLine line) {
            return new Line(
                    line.getProduct().getSku(),
                    line.getProduct().getName(),
                    line.getQuantity(),
                    line.getUnitPriceCents(),
                    line.getTotalCents());
        }
    }
}
