package dev.genq.account;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/**
 * A customer of the genq operator: owns a wallet, API keys and generations. Only an active account
 * pays for anything new; {@code email} and {@code phone} are the contact fields its owner may rectify.
 */
@MappedEntity("account")
public record Account(@Id UUID id, String name, @Nullable String email, @Nullable String phone, String state,
                      @Nullable String stateReason, @Nullable Instant stateChangedAt, @GeneratedValue Instant createdAt,
                      @Nullable Instant closedAt) {

    public AccountState accountState() {
        return AccountState.of(state);
    }
}
