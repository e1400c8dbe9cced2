package dev.genq.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** One POST of a delivery: when, what the endpoint answered (or why nothing did), how long it took. */
@MappedEntity("webhook_attempt")
public record WebhookAttempt(@Id UUID id, UUID deliveryId, int attempt, Instant at, @Nullable Integer statusCode, @Nullable String error,
                             int durationMs) {
}
