/**
 * Providers behind one small interface: a request carrying the generation id (the vendor's
 * idempotency key), a result listing output URLs, and one exception type that classifies every
 * failure once as retryable or permanent. Each wire format lives in a sub-package.
 */
package dev.genq.provider;
