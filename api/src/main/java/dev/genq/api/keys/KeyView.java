package dev.genq.api.keys;

import dev.genq.account.ApiKey;
import dev.genq.account.Scope;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An account key as its owner sees it: never the secret, except {@code key} once on creation. */
@Serdeable
record KeyView(UUID id, String name, List<String> scopes, String prefix, Instant createdAt, @Nullable Instant lastUsedAt,
               @Nullable Instant expiresAt, @Nullable Instant revokedAt, @Nullable String key) {

    static KeyView of(ApiKey k, @Nullable String secret) {
        return new KeyView(k.id(), k.name(), k.scopeSet().stream().map(Scope::wire).toList(), k.keyPrefix(), k.createdAt(),
            k.lastUsedAt(), k.expiresAt(), k.revokedAt(), secret);
    }
}
