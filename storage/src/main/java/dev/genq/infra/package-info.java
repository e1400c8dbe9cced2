/**
 * Infrastructure every feature shares: the clock, the Redis connection pool, the JDK HTTP client as
 * the byte paths use it, and batching and JSON helpers. Redis holds only what may be lost (status
 * cache, permits, fast paths); callers degrade when it is gone.
 */
package dev.genq.infra;
