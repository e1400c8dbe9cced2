package dev.genq.account;

import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.UUID;

/** One change of an account's state, with who made it and why. */
@Serdeable
@MappedEntity("account_state_change")
public record AccountStateChange(@Id @GeneratedValue Long id, UUID accountId, String fromState, String toState, String reason,
                                 String actor, @GeneratedValue Instant at) {
}
