/**
 * Request rate limits per key and per account, shared by every api node through Redis, answered
 * 429 {@code rate_limited} with Retry-After.
 */
package dev.genq.api.limits;
