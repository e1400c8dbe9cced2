/**
 * Infrastructure every feature shares: the clock, the Redis connection pool and scripts, the JDK
 * HTTP client as the byte paths use it, batching and JSON helpers, and the start-up check of
 * PostgreSQL's autovacuum. Redis holds only what may be lost (status
 * cache, permits, fast paths); callers degrade when it is gone.
 */
package dev.genq.infra;
