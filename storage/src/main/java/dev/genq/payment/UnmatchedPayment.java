package dev.genq.payment;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** A verified notification about a payment genq never created: nothing was credited; a person decides. */
@Serdeable
@MappedEntity("payment_unmatched")
public record UnmatchedPayment(String provider, @Id String paymentRef, String status, @Nullable String amount, @Nullable String currency,
                               Instant receivedAt) {
}
