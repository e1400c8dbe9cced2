package dev.genq.idempotency;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** A stored idempotency key; {@code state} is STARTED while its request works, COMPLETED after. */
@MappedEntity("idempotency_key")
record IdempotencyRecord(String scope, @Id String key, String requestHash, UUID owner, String state,
                         @Nullable Integer responseStatus, @Nullable String responseBody, Instant createdAt, Instant lockedAt) {
}
