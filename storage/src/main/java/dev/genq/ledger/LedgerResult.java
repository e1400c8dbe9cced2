package dev.genq.ledger;

/** Outcome of a ledger operation, named in TigerBeetle's manner. */
public enum LedgerResult {
    OK,
    /** The same operation (same id, same amounts) was applied before; nothing changed. */
    EXISTS,
    /** The pending transfer was already posted; nothing changed. */
    ALREADY_POSTED,
    /** The pending transfer was already voided; nothing changed. */
    ALREADY_VOIDED
}
