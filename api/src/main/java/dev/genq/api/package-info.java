/**
 * The api role: the public HTTP API under /v1 (API-key authenticated) and the admin API under
 * /admin/v1 (admin key). Controllers are thin: they authenticate, check request shape, call the
 * storage features, and shape JSON. Errors leave as one JSON shape ({@link dev.genq.http}).
 *
 * <p>Every bean in this package and its sub-packages exists only where the api role runs: the
 * gate is here, once, so a new controller cannot forget it.
 */
@Configuration
@Requires(env = "api")
package dev.genq.api;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
