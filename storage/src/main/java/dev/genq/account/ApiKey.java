package dev.genq.account;

import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.UUID;

/** A stored API key: only its digest and a short prefix for people to recognise it by. */
@MappedEntity("api_key")
public record ApiKey(@Id UUID id, UUID accountId, String keyHash, String keyPrefix,
                     @GeneratedValue Instant createdAt, @Nullable Instant revokedAt) {
}
