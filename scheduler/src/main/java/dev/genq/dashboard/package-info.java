/**
 * The JobRunr dashboard, served by the scheduler role on its own port behind basic auth. Its beans
 * exist only where the scheduler role runs; the gate is here, once.
 */
@Configuration
@Requires(env = "scheduler")
package dev.genq.dashboard;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
