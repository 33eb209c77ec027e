package dev.migrator.autoconfigure.generate.entities;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** A customer, with a unique phone, a region and an email index that the migrations do not have yet. */
@Entity
@Table(name = "customer", indexes = @Index(name = "customer_email_idx", columnList = "email"))
public class Customer {

    @Id
    Long id;

    @Column(nullable = false)
    String email;

    @Column(unique = true)
    String phone;

    @ManyToOne
    Region region;
}
