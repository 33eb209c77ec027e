package dev.migrator.demo.product;

import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/products")
class ProductController {

    private final ProductRepository products;

    ProductController(ProductRepository products) {
        this.products = products;
    }

    @GetMapping
    List<ProductView> list() {
        return this.products.findAll(Sort.by("sku")).stream()
                .map(ProductView::of)
                .toList();
    }

    record ProductView(Long id, String sku, String name, int priceCents) {

        static ProductView of(Product product) {
            return new ProductView(product.getId(), product.getSku(), product.getName(), product.getPriceCents());
        }
    }
}
