package dev.genq.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * The {@code data} of a {@code generation.succeeded}, {@code .failed} or {@code .cancelled} event:
 * how it ended and what it cost. Outputs are not in it: their URLs are short-lived, so a receiver
 * reads them from the status ({@code GET /v1/generations/{id}}) when it needs them.
 */
@Serdeable
public record GenerationEnded(UUID id, UUID accountId, String model, String status, long priceCoins, @Nullable Long chargedCoins,
                              @Nullable Long refundedCoins, @Nullable Integer deliveredUnits, @Nullable Error error,
                              Instant createdAt, @Nullable Instant finishedAt) {

    @Serdeable
    public record Error(String code, @Nullable String message) {
    }

    public String eventType() {
        return "generation." + status.toLowerCase(Locale.ROOT);
    }

    /** The whole event as sent. */
    @Serdeable
    record Event(String type, Instant timestamp, GenerationEnded data) {
    }
}
