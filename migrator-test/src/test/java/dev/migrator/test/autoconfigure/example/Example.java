package dev.migrator.test.autoconfigure.example;

/** Marks the package of the example application's components. */
public final class Example {

    /** The customers that data migration D1 inserts. */
    public static final int SEEDED_CUSTOMERS = 2;

    private Example() {}
}
