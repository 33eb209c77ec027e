package dev.migrator.acceptance.marquez.changed;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.util.UUID;

/** A new table: other names of a tag, with a foreign key to it. */
@Entity
@Table(name = "tag_aliases")
public class TagAlias {

    @Id
    UUID uuid;

    @Column(nullable = false, unique = true)
    String alias;

    @ManyToOne
    Tag tag;
}
