package dev.migrator.core;

import java.util.List;

/**
 * What validation found wrong with the local migrations against the history: changed, missing or
 * misnamed migrations, duplicate versions. Pending migrations are not problems.
 *
 * @param problems one message per problem; empty when everything is valid
 * @since 0.1.0
 */
public record ValidationResult(List<String> problems) {

    /**
     * Copy the components.
     *
     * @throws NullPointerException when {@code problems} is {@code null}
     */
    public ValidationResult {
        problems = List.copyOf(problems);
    }

    /**
     * Return whether nothing is wrong.
     *
     * @return {@code true} when there are no problems
     */
    public boolean isValid() {
        return this.problems.isEmpty();
    }
}
