/**
 * Route health: a circuit breaker per catalog route, kept in Redis so every worker trips and heals
 * it together and the API role can report it to admins.
 */
package dev.genq.routing;
