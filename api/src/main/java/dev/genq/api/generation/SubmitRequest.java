package dev.genq.api.generation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;
import java.util.UUID;

/** POST /v1/generations: a model, its inputs, and optionally the quote whose price to pay. */
@Serdeable
public record SubmitRequest(@Nullable String model, @Nullable Map<String, Object> inputs, @Nullable UUID quoteId) {
}
