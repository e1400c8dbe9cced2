/**
 * Server-sent events for browsers: one generation's (/v1/generations/{id}/events) or an account's
 * (/v1/events) statuses as they change, with queue positions and ETAs while they wait, heartbeats,
 * and Last-Event-ID resumption from the account's event stream in Redis. Every api node hears every
 * status once, on one Redis channel, and hands it to its own connections: no PostgreSQL statement
 * per connection or per event.
 */
package dev.genq.api.events;
