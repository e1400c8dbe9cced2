package dev.genq.payment;

import io.micronaut.core.annotation.Nullable;
import java.math.BigDecimal;

/**
 * What a gateway's verified notification says about one payment. It names the payment by the
 * gateway's id or by genq's order reference (the top-up id, or its number where the gateway wants
 * an integer). {@code rank} orders the gateway's statuses (later is higher). {@code paid} is the
 * amount paid so far in {@code paidCurrency} (null when the gateway does not say which), or null
 * while nothing is paid.
 */
public record PaymentNotice(String provider, @Nullable String paymentId, @Nullable String orderRef, String status, int rank,
                            Outcome outcome, @Nullable BigDecimal paid, @Nullable String paidCurrency) {

    /** Where the status leaves the payment. */
    public enum Outcome {
        PENDING, PARTIALLY_PAID, PAID, FAILED,
        /** The gateway took the money back (a refund or dispute reported after it was paid): a chargeback. */
        REVERSED
    }

    public String ref() {
        return provider + ":" + (paymentId != null ? paymentId : "order " + orderRef);
    }
}
