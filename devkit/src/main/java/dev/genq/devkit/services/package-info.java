/**
 * Real PostgreSQL, Redis and S3 for development and tests, found in this order: URLs from the
 * environment, the machine's own services, Testcontainers when a Docker engine answers, and last
 * embedded servers started in this JVM (PostgreSQL binaries, Redis, S3Proxy on the filesystem).
 */
package dev.genq.devkit.services;
