package dev.genq.catalog;

import io.micronaut.serde.annotation.Serdeable;

/** What a model produces; {@code order} is a reseller order (views, followers) fulfilled upstream. */
@Serdeable
public enum ModelKind {
    image, video, audio, text, order
}
