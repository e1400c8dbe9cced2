/**
 * Infrastructure beans every feature shares: the clock, and the Redis connection pool. Redis holds
 * only what may be lost (status cache, permits, fast paths); callers degrade when it is gone.
 */
package dev.genq.infra;
