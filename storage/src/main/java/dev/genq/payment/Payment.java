package dev.genq.payment;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** A provider payment as genq knows it. */
@MappedEntity("payment")
record Payment(String provider, @Id String paymentId, UUID accountId, String status, int statusRank, long creditedCoins,
               Instant createdAt, Instant updatedAt) {
}
