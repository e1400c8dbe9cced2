package dev.genq.generation;

import io.micronaut.serde.annotation.Serdeable;

/** One stored output: its server-made S3 key, never a provider's URL. */
@Serdeable
public record GenerationOutput(int index, String key, String contentType, long sizeBytes) {
}
