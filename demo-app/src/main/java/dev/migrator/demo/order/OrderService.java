package dev.migrator.demo.order;

import dev.migrator.demo.customer.Customer;
import dev.migrator.demo.customer.CustomerRepository;
import dev.migrator.demo.product.Product;
import dev.migrator.demo.product.ProductRepository;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

@Service
class OrderService {

    private final PurchaseOrderRepository orders;

    private final CustomerRepository customers;

    private final ProductRepository products;

    OrderService(PurchaseOrderRepository orders, CustomerRepository customers, ProductRepository products) {
        this.orders = orders;
        this.customers = customers;
        this.products = products;
    }

    @Transactional
    OrderView place(NewOrder request) {
        Customer customer = this.customers
                .findById(request.customerId())
                .orElseThrow(() ->
                        badRequest("Customer '%d' does not exist. Create the customer with POST /api/customers first."
                                .formatted(request.customerId())));
        List<String> skus = request.lines().stream().map(NewOrder.Line::sku).toList();
        Map<String, Product> catalog = this.products.findBySkuIn(skus).stream()
                .collect(Collectors.toMap(Product::getSku, Function.identity()));
        PurchaseOrder order = new PurchaseOrder(customer, request.note());
        for (NewOrder.Line line : request.lines()) {
            Product product = catalog.get(line.sku());
            if (product == null) {
                throw badRequest(
                        "Product '%s' does not exist. GET /api/products lists the catalog.".formatted(line.sku()));
            }
            order.addLine(product, line.quantity());
        }
        return OrderView.of(this.orders.save(order));
    }

    @Transactional(readOnly = true)
    Optional<OrderView> find(long id) {
        return this.orders.findById(id).map(OrderView::of);
    }

    private static ResponseStatusException badRequest(String detail) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, detail);
    }
}
