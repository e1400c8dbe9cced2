package dev.genq.ledger;

/** How a transfer moves coins: at once, or in two phases (reserve, then post or void). */
public enum TransferKind {
    /** Moves coins at once: top-ups and adjustments. */
    SINGLE,
    /** Reserves coins on the debit account; resolved later by exactly one POST_PENDING or VOID_PENDING. */
    PENDING,
    /** Posts all or part of a pending transfer; the rest goes back to the balance. */
    POST_PENDING,
    /** Releases a pending transfer in full: the refund. */
    VOID_PENDING
}
