/**
 * Stripe's Idempotency-Key semantics for every POST that creates or moves money: the same key and
 * body answer the same status and body again; the same key with another body is 422
 * {@code idempotency_mismatch}; a key whose first request is still running is 409
 * {@code request_in_progress}. Without the header a request simply runs.
 */
package dev.genq.api.idempotency;
