/**
 * Running generations: the JobRunr background job server of the worker role, the handler that
 * takes one generation from QUEUED to an end, the one place that maps a provider outcome to a
 * state and a ledger operation ({@code TaskOutcomes}), the one failure policy ({@code FailurePolicy}:
 * retries, attempts, backoff), and the copying of outputs from the vendor into S3.
 *
 * <p>Every bean here exists only where the worker role runs; the gate is here, once.
 */
@Configuration
@Requires(env = "worker")
package dev.genq.execution;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
