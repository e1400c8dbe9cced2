/**
 * Who is calling and what they may do: account keys (scoped, hashed at rest) and the browser
 * tokens made from them for /v1, people's admin keys with roles for /admin. Each route declares
 * the scope or role it needs. Health and metrics stay open for probes and scrapers.
 */
package dev.genq.api.auth;
