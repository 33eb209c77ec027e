package dev.migrator.demo.order;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The body of {@code POST /api/orders}. */
record NewOrder(
        @NotNull @Positive Long customerId,
        @Size(max = 500) @Nullable String note,
        @NotEmpty @Size(max = 100) List<@Valid @NotNull Line> lines) {

    record Line(@NotBlank String sku, @Positive @Max(1000) int quantity) {}
}
