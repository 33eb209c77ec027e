package dev.migrator.demo.customer;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/api/customers")
class CustomerController {

    private static final int MAX_LIMIT = 1000;

    private final CustomerRepository customers;

    private final EmailDomains emailDomains;

    CustomerController(CustomerRepository customers, EmailDomains emailDomains) {
        this.customers = customers;
        this.emailDomains = emailDomains;
    }

    /**
     * List customers in id order, a page at a time: the demo seeds hundreds of thousands of them. The next page starts
     * after the last id of this one.
     */
    @GetMapping
    List<CustomerView> list(
            @RequestParam Optional<String> domain,
            @RequestParam(defaultValue = "0") long after,
            @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ResponseStatusException(
                    HttpStatus.BAD_REQUEST,
                    "Limit '%d' is out of range. Ask for 1 to %d customers at a time.".formatted(limit, MAX_LIMIT));
        }
        List<Customer> page = domain.map(d -> this.customers.findByEmailDomainAndIdGreaterThanOrderById(
                        this.emailDomains.canonical(d), after, Limit.of(limit)))
                .orElseGet(() -> this.customers.findByIdGreaterThanOrderById(after, Limit.of(limit)));
        return page.stream().map(CustomerView::of).toList();
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
            customer = this.customers.saveAndFlush(
                    new Customer(request.email(), request.name(), this.emailDomains.of(request.email())));
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

    record CustomerView(Long id, String email, @Nullable String emailDomain, String name, Instant createdAt) {

        static CustomerView of(Customer customer) {
            return new CustomerView(
                    customer.getId(),
                    customer.getEmail(),
                    customer.getEmailDomain(),
                    customer.getName(),
                    customer.getCreatedAt());
        }
    }
}
