package dev.genq.payment;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A payment at a gateway as genq knows it. A top-up genq created carries its id, what was asked
 * (amount, currency, the rate then in force and the coins that buys) and where the user was sent;
 * {@code paymentId} is the gateway's id for it. {@code state} is genq's reading of {@code status}.
 */
@MappedEntity("payment")
public record Payment(String provider, @Id String paymentId, UUID accountId, String status, int statusRank, long creditedCoins,
                      Instant createdAt, Instant updatedAt, @Nullable UUID id, @Nullable Long number, @Nullable BigDecimal amount,
                      @Nullable String currency, @Nullable BigDecimal coinsPerUnit, @Nullable Long coins,
                      @Nullable BigDecimal paidAmount, @Nullable String paidCurrency, @Nullable String returnUrl,
                      @Nullable String paymentUrl, @Nullable String reviewReason, @Nullable UUID keyId, String state) {

    public String ref() {
        return provider + ":" + paymentId;
    }
}
