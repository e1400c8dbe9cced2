/**
 * Providers behind one small interface: a request carrying the generation id (the vendor's
 * idempotency key), a result listing output URLs, and one exception type that classifies every
 * failure once as retryable or permanent. Each wire format lives in a sub-package.
 *
 * <p>Every bean here and in the sub-packages exists only where the worker role runs; the gate is here, once.
 */
@Configuration
@Requires(env = "worker")
package dev.genq.provider;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
