package dev.migrator.acceptance.marquez.shared;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Marquez's namespaces table, as its migrations leave it. */
@Entity
@Table(name = "namespaces")
public class Namespace {

    @Id
    UUID uuid;

    @Column(nullable = false)
    Instant createdAt;

    @Column(nullable = false)
    Instant updatedAt;

    @Column(nullable = false, unique = true)
    String name;

    String description;

    @Column(length = 64)
    String currentOwnerName;

    Boolean isHidden;
}
