package dev.migrator.demo.customer;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/api/customers")
class CustomerController {

    private final CustomerRepository customers;

    CustomerController(CustomerRepository customers) {
        this.customers = customers;
    }

    @GetMapping
    List<CustomerView> list() {
        return this.customers.findAll(Sort.by("id")).stream()
                .map(CustomerView::of)
                .toList();
    }

    @GetMapping("/{id}")
    CustomerView get(@PathVariable long id) {
        return this.customers
                .findById(id)
                .map(CustomerView::of)
                .orElseThrow(() -> new ResponseStatusException(
                        HttpStatus.NOT_FOUND,
                        "Customer '%d' does not exist. GET /api/customers lists the customers.".formatted(id)));
    }

    @PostMapping
    ResponseEntity<CustomerView> create(@Valid @RequestBody NewCustomer request) {
        Customer customer;
        try {
            customer = this.customers.saveAndFlush(new Customer(request.email(), request.name()));
        } catch (DataIntegrityViolationException ex) {
            // The unique constraint decides, so two concurrent requests cannot both get the address.
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    "Email '%s' belongs to another customer. Use another email address.".formatted(request.email()),
                    ex);
        }
        CustomerView view = CustomerView.of(customer);
        return ResponseEntity.created(URI.create("/api/customers/" + view.id())).body(view);
    }

    record NewCustomer(
            @NotBlank @Email @Size(max = 254) String email,
            @NotBlank @Size(max = 200) String name) {}

    record CustomerView(Long id, String email, String name, Instant createdAt) {

        static CustomerView of(Customer customer) {
            return new CustomerView(customer.getId(), customer.getEmail(), customer.getName(), customer.getCreatedAt());
        }
    }
}
