package dev.genq.catalog;

import io.micronaut.serde.annotation.Serdeable;

/** What a model produces. */
@Serdeable
public enum ModelKind {
    image, video, audio, text
}
