package dev.genq.ledger;

import java.time.Instant;
import java.util.UUID;

/** A hold of {@code amountCoins} on an account's balance until {@code expiresAt}; its transfer id names it. */
public record Reservation(UUID transferId, UUID accountId, long amountCoins, Instant expiresAt) {
    public Reservation {
        if (amountCoins < 0) {
            throw new IllegalArgumentException("amount must not be negative: " + amountCoins);
        }
    }

    Transfer transfer() {
        return Transfer.pending(transferId, accountId, SystemAccount.REVENUE.id(), amountCoins, expiresAt);
    }
}
