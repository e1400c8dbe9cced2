package dev.genq.ledger;

/** Why coins moved; stored with every transfer so a statement reads without joins. */
public enum TransferReason {
    ADMIN_CREDIT,
    GENERATION_RESERVE,
    GENERATION_CAPTURE,
    GENERATION_FAILED,
    GENERATION_CANCELLED
}
