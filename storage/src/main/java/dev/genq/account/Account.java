package dev.genq.account;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** A customer of the genq operator: owns a wallet, API keys and generations. A blocked account pays for nothing new. */
@MappedEntity("account")
public record Account(@Id UUID id, String name, @GeneratedValue Instant createdAt,
                     @Nullable Instant blockedAt, @Nullable String blockedReason) {

    public boolean blocked() {
        return blockedAt != null;
    }
}
