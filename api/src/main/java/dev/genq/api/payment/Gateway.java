package dev.genq.api.payment;

import io.micronaut.core.annotation.Nullable;
import java.math.BigDecimal;
import java.util.Set;
import java.util.UUID;

/**
 * A payment gateway genq can start a top-up at. Each implementation is also the controller that
 * receives the gateway's notifications, so its request format, its notification format and its
 * signature scheme live in one class.
 */
public abstract class Gateway {
    private final Profile profile;

    protected Gateway(Profile profile) {
        this.profile = profile;
    }

    /** Who it is and what it takes. */
    public Profile profile() {
        return profile;
    }

    /** Whether its credentials are set; an unconfigured gateway starts nothing and its notifications answer 404. */
    public abstract boolean configured();

    /** Creates the payment at the gateway; throws 503 gateway_unavailable when it cannot be reached. */
    public abstract Created create(Order order);

    /**
     * {@code name}: what clients use ("yookassa") and payment rows carry; {@code defaultCurrency}: a
     * top-up's when the client names none; {@code currencies}: those it takes (empty: any genq has a rate for).
     */
    public record Profile(String name, String defaultCurrency, Set<String> currencies) {
    }

    /** Whether a credential is set at all. */
    static boolean set(@Nullable String value) {
        return value != null && !value.isBlank();
    }

    /** What genq asks a gateway for: the top-up's id and number, the price, and where the user returns. */
    public record Order(UUID id, long number, BigDecimal amount, String currency, String description, String returnUrl,
                 @Nullable String email, @Nullable String clientIp) {
    }

    /** The gateway's id for the payment and the page to send the user to. */
    public record Created(String paymentId, String paymentUrl) {
    }
}
