package dev.migrator.acceptance.marquez.shared;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.LocalDateTime;
import java.util.UUID;

/** Marquez's namespace_ownerships table: two foreign keys and a unique pair. */
@Entity
@Table(
        name = "namespace_ownerships",
        uniqueConstraints = @UniqueConstraint(columnNames = {"namespace_uuid", "owner_uuid"}))
public class NamespaceOwnership {

    @Id
    UUID uuid;

    @Column(nullable = false)
    LocalDateTime startedAt;

    LocalDateTime endedAt;

    @ManyToOne
    @JoinColumn(name = "namespace_uuid")
    Namespace namespace;

    @ManyToOne
    @JoinColumn(name = "owner_uuid")
    Owner owner;
}
