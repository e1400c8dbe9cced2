package dev.genq.devkit.services;

/** Where a Redis server is. */
public record Redis(String uri, String origin) {
}
