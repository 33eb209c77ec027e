package dev.migrator.test.autoconfigure.example;

import org.springframework.stereotype.Service;

/** An application service: not a migration, so the slice leaves it out. */
@Service
public class GreetingService {

    /**
     * Greets.
     *
     * @return a greeting
     */
    public String greet() {
        return "hello";
    }
}
