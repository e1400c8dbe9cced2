/**
 * The coin ledger: append-only, double-entry transfers, two-phase for generations (a PENDING
 * reservation later posted, fully or partly, or voided, exactly once), and per-account wallet
 * counters changed only by conditional UPDATEs in the same transaction as the transfer row.
 * Every operation is idempotent by its transfer id.
 */
package dev.genq.ledger;
