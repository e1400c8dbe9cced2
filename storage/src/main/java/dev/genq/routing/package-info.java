/**
 * Route health: a circuit breaker per catalog route, kept in Redis so every worker trips and heals
 * it together. It lives in storage, with its settings ({@link dev.genq.routing.BreakerConfig}),
 * because three roles use it: workers trip it, the api's admin routes report it, the scheduler
 * exports it as gauges.
 */
package dev.genq.routing;
