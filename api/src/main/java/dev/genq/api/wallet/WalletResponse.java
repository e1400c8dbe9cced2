package dev.genq.api.wallet;

import dev.genq.ledger.Wallet;
import io.micronaut.serde.annotation.Serdeable;
import java.util.UUID;

/**
 * balanceCoins is what can be spent now; credited = balance + reserved + spent, where spent counts
 * captured generations, debits and forfeits.
 */
@Serdeable
public record WalletResponse(UUID accountId, long balanceCoins, long reservedCoins, long spentCoins, long creditedCoins,
                             boolean blocked) {
    public static WalletResponse of(Wallet w) {
        return new WalletResponse(w.accountId(), w.balanceCoins(), w.reservedCoins(), w.spentCoins(), w.creditsPosted(), w.blocked());
    }
}
