/**
 * JobRunr 8 wired into Micronaut by hand: the PostgreSQL storage provider, the JSON mapper, the
 * bean context as job activator, and the request scheduler every role may enqueue with. Which
 * role runs a background job server or the dashboard is decided in those roles' modules.
 */
package dev.genq.queue;
