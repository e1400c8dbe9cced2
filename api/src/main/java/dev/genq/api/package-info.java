/**
 * The api role: the public HTTP API under /v1 (API-key authenticated) and the admin API under
 * /admin/v1 (admin key). Controllers are thin: they authenticate, check request shape, call the
 * storage features, and shape JSON. Errors leave as one JSON shape.
 */
package dev.genq.api;
