/**
 * JobRunr 8 wired into Micronaut by hand: the PostgreSQL storage provider, the JSON mapper, the
 * bean context as job activator, and the request scheduler every role may enqueue with; and the
 * Redis announcements of new work. It lives in storage because every role enqueues or reads jobs.
 * Whether a role runs a background job server (and its settings, {@code genq.queue.*}) or the
 * dashboard is decided in those roles' modules.
 */
package dev.genq.queue;
