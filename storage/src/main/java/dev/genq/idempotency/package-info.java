/**
 * Idempotency keys with Stripe's semantics, enforced by a PostgreSQL primary key: a request claims
 * its key before it works, and the stored response is written in the work's own transaction, so a
 * response is on record exactly when the work committed. A claim whose holder vanished is taken
 * over after a lease; the owner token makes the late holder's completion fail and roll back.
 */
package dev.genq.idempotency;
