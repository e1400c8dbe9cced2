/**
 * genq all-in-one on a laptop: embedded PostgreSQL, Redis and S3, the provider emulator, and all
 * three roles in one process, with a seeded demo account.
 */
package dev.genq.local;
