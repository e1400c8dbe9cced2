package dev.genq.account;

import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** A customer of the genq operator: owns a wallet, API keys and generations. */
@MappedEntity("account")
public record Account(@Id UUID id, String name, @GeneratedValue Instant createdAt) {
}
