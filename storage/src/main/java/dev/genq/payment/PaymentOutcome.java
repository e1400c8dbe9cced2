package dev.genq.payment;

import io.micronaut.serde.annotation.Serdeable;

/**
 * What a notice did: credited coins now, or was ignored as a replay or as older than what is known;
 * {@code matched} is false for a payment genq never created (kept for review, nothing credited).
 */
@Serdeable
public record PaymentOutcome(boolean applied, long creditedCoins, String status, boolean matched) {
}
