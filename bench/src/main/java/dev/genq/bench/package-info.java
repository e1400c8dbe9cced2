/**
 * The throughput benchmark, a program and not a test: genq end to end measured side by side with a
 * minimal PostgreSQL queue (the physical floor) and bare JobRunr (defaults, and tuned), in one run on
 * the same PostgreSQL and Redis, at the provider latencies asked for.
 */
package dev.genq.bench;
