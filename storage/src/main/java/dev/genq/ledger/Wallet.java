package dev.genq.ledger;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;
import java.util.UUID;

/** One account's counters. Available balance is derived, never stored. */
@Serdeable
@MappedEntity("wallet")
public record Wallet(@Id UUID accountId, long creditsPosted, long debitsPending, long debitsPosted, boolean blocked) {

    public long balanceCoins() {
        return creditsPosted - debitsPosted - debitsPending;
    }

    public long reservedCoins() {
        return debitsPending;
    }

    public long spentCoins() {
        return debitsPosted;
    }
}
