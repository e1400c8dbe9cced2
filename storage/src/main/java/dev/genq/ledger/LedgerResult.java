package dev.genq.ledger;

/** Outcome of a ledger operation, named in TigerBeetle's manner. Only OK changed anything. */
public enum LedgerResult {
    OK,
    /** The same operation (same id, same accounts and amount) was applied before; nothing changed. */
    EXISTS,
    /** The id was used before for another operation; nothing changed, and the caller has a bug. */
    EXISTS_WITH_DIFFERENT_FIELDS,
    /** The debit account's balance is too small; nothing changed. */
    INSUFFICIENT_FUNDS,
    /** The account is blocked and takes no new reservations; nothing changed. */
    ACCOUNT_BLOCKED,
    /** The pending transfer was already posted; nothing changed. */
    ALREADY_POSTED,
    /** The pending transfer was already voided; nothing changed. */
    ALREADY_VOIDED,
    /** The pending transfer passed its expiry and can only be voided; nothing changed. */
    EXPIRED;

    /** OK or EXISTS: the operation's effect is in the ledger, now or from before. */
    public boolean applied() {
        return this == OK || this == EXISTS;
    }
}
