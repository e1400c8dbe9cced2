package dev.genq.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** One event for one endpoint: pending until a 2xx answer (delivered) or the end of its retries (failed). */
@MappedEntity("webhook_delivery")
public record WebhookDelivery(@Id UUID id, UUID endpointId, UUID accountId, UUID generationId, String eventType, String payload,
                              String status, int attempts, @Nullable Instant nextAttemptAt, @GeneratedValue Instant createdAt,
                              @Nullable Instant deliveredAt, @Nullable Integer lastStatus, @Nullable String lastError) {
}
