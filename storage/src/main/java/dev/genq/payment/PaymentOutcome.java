package dev.genq.payment;

import io.micronaut.serde.annotation.Serdeable;

/** What an event did: credited coins now, or was ignored as a replay or as older than what is known. */
@Serdeable
public record PaymentOutcome(boolean applied, long creditedCoins, String status) {
}
