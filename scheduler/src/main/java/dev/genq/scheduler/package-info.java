/**
 * The scheduler role's own parts: declaring every maintenance task as a recurring job, and the
 * cluster-wide gauges (queue, ledger, routes), exported once. Its beans exist only where the
 * scheduler role runs; the gate is here, once. The tasks themselves ({@link dev.genq.maintenance})
 * are not gated: any worker's job server runs them.
 */
@Configuration
@Requires(env = "scheduler")
package dev.genq.scheduler;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
