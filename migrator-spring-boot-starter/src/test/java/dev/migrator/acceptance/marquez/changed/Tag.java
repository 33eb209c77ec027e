package dev.migrator.acceptance.marquez.changed;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Marquez's tags table, changed: a colour, and an index on when a tag was last updated. */
@Entity
@Table(name = "tags", indexes = @Index(name = "tags_updated_at_idx", columnList = "updated_at"))
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

    @Column(length = 16)
    String color;
}
