package dev.genq.payment;

/** What an event did: credited coins now, or was ignored as a replay or as older than what is known. */
public record PaymentOutcome(boolean applied, long creditedCoins, String status) {
}
