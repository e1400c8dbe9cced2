package dev.genq.payment;

import java.util.UUID;

/**
 * One notification about a payment, already verified by its provider's adapter. {@code rank}
 * orders the provider's statuses (later is higher); {@code worthCoins} is what the whole payment
 * is worth in coins at this status (0 until paid).
 */
public record PaymentEvent(String provider, String paymentId, UUID accountId, String status, int rank, long worthCoins) {

    public String ref() {
        return provider + ":" + paymentId;
    }
}
