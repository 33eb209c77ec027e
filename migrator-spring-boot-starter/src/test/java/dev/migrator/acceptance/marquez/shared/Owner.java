package dev.migrator.acceptance.marquez.shared;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import java.util.UUID;

/** Marquez's owners table. */
@Entity
@Table(name = "owners")
public class Owner {

    @Id
    UUID uuid;

    @Column(nullable = false)
    LocalDateTime createdAt;

    @Column(nullable = false, length = 64, unique = true)
    String name;
}
