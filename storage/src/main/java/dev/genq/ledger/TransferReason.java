package dev.genq.ledger;

/** Why coins moved; stored with every transfer so a statement reads without joins. */
public enum TransferReason {
    /** Coins bought through a payment provider. */
    TOPUP,
    /** A credit or debit made by an operator, with a memo and the operator's name. */
    ADMIN_ADJUSTMENT,
    GENERATION_RESERVE,
    GENERATION_CAPTURE,
    GENERATION_FAILED,
    /** What a failed generation's model charges for the vendor's error code (its catalog's failure fees); the rest is released. */
    GENERATION_FAILURE_FEE,
    GENERATION_CANCELLED,
    /** The balance of an account blocked after a chargeback or dispute. */
    CHARGEBACK_FORFEIT
}
