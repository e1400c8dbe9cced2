/**
 * Privacy rights and retention: an account's export (everything genq holds about it, as one ZIP),
 * its erasure (personal data deleted or anonymised, the account closed, the ledger's amounts kept),
 * and the retention of each kind of record, applied in bounded, idempotent batches.
 */
package dev.genq.privacy;
