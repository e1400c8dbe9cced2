package dev.genq.activity;

import io.micronaut.core.annotation.Nullable;

/** Where a request came from, as recorded with what it did; {@link #NONE} for genq's own work and gateways' notices. */
public record Source(@Nullable String ip, @Nullable String userAgent) {
    public static final Source NONE = new Source(null, null);
}
