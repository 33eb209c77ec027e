package dev.migrator.acceptance.marquez.current;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Marquez's tags table. */
@Entity
@Table(name = "tags")
public class Tag {

    @Id
    UUID uuid;

    @Column(nullable = false)
    Instant createdAt;

    @Column(nullable = false)
    Instant updatedAt;

    @Column(nullable = false, unique = true)
    String name;

    String description;
}
