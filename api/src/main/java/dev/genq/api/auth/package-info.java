/**
 * Who is calling: API keys for /v1 (resolved to an account, cached in-process), the configured
 * admin key for /admin. Health and metrics stay open for probes and scrapers.
 */
package dev.genq.api.auth;
