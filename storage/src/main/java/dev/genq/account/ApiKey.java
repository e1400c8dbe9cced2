package dev.genq.account;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** A stored account key: only its digest and a short prefix for people to recognise it by. */
@MappedEntity("api_key")
public record ApiKey(@Id UUID id, UUID accountId, String name, String scopes, String keyHash, String keyPrefix,
                     @GeneratedValue Instant createdAt, @Nullable Instant lastUsedAt, @Nullable Instant expiresAt,
                     @Nullable Instant revokedAt) {

    public Set<Scope> scopeSet() {
        return Scope.ofColumn(scopes);
    }
}
