package dev.genq.catalog;

import io.micronaut.serde.annotation.Serdeable;

/** What a model produces; {@code order} is a reseller order (views, followers) fulfilled upstream. */
@Serdeable
public enum ModelKind {
    image, video, audio, text, order;

    /** Whether an output of this media type is what the kind promises (orders deliver reports of any type). */
    public boolean accepts(String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT).trim();
        return switch (this) {
            case image -> type.startsWith("image/");
            case video -> type.startsWith("video/");
            case audio -> type.startsWith("audio/");
            case text -> type.startsWith("text/") || type.startsWith("application/json");
            case order -> true;
        };
    }

    /**
     * Units delivered when the vendor does not say: an image model's unit is one image, so each
     * missing image is not charged; other kinds deliver their units (seconds, a request) whole in
     * whatever files they return.
     */
    public int deliveredUnits(int orderedUnits, int outputs) {
        return this == image ? Math.min(orderedUnits, outputs) : outputs > 0 || this == order ? orderedUnits : 0;
    }
}
