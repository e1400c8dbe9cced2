package dev.genq.devkit.services;

/** Where an S3-compatible server is, and the keys it accepts. */
public record S3(String endpoint, String accessKey, String secretKey, String origin) {
}
