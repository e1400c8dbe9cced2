package dev.genq.staff;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** One person's admin key: its digest, never the key. */
@MappedEntity("admin_key")
public record AdminKey(@Id UUID id, String person, String role, String keyHash, String keyPrefix,
                       @GeneratedValue Instant createdAt, String createdBy, @Nullable Instant revokedAt,
                       @Nullable Instant lastUsedAt) {
}
