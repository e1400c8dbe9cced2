package dev.genq.ledger;

import java.util.UUID;

/**
 * The operator's side of every transfer. System accounts keep no counters (their balances are sums
 * over transfers), so no transfer ever waits on a hot system row.
 */
public enum SystemAccount {
    /** Where purchased coins come from: debited by every top-up. */
    TOPUPS("00000000-0000-0000-0000-00000000c001"),
    /** Where spent coins go: credited by every posted reservation. */
    REVENUE("00000000-0000-0000-0000-00000000c002"),
    /** The other side of operators' manual credits and debits. */
    ADJUSTMENTS("00000000-0000-0000-0000-00000000c003"),
    /** Where the balance of a charged-back account goes. */
    FORFEITED("00000000-0000-0000-0000-00000000c004");

    private final UUID id;

    SystemAccount(String id) {
        this.id = UUID.fromString(id);
    }

    public UUID id() {
        return id;
    }
}
