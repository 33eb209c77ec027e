package dev.migrator.autoconfigure.generate.entities;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** A new table that the existing customer table gets a foreign key to. */
@Entity
public class Region {

    @Id
    Long id;

    String name;
}
