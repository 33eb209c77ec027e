package dev.migrator.autoconfigure.descriptor;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What started a migration run. Shown in lower case, as {@link #value()}, in JSON, logs and metric
 * tags.
 *
 * @since 0.1.0
 */
public enum Trigger {

    /** The application's startup ({@code migrator.auto-run}). */
    STARTUP,

    /** {@code POST /actuator/migrations}. */
    ENDPOINT,

    /** Command mode ({@code --migrator.command=migrate}). */
    COMMAND;

    /**
     * Return the trigger as shown: {@code startup}, {@code endpoint} or {@code command}.
     *
     * @return the value, never {@code null}
     */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
