package dev.genq.provider;

import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.util.List;

/**
 * The vendor's outputs, still at the vendor. {@code deliveredUnits} is set by vendors that report
 * delivery themselves (a reseller order's remains); null means count it from the outputs as the
 * model's kind says (an image model's unit is an image, a video's seconds come in one file).
 */
public record ProviderResult(List<Output> outputs, @Nullable Integer deliveredUnits) {

    public static ProviderResult of(List<Output> outputs) {
        return new ProviderResult(outputs, null);
    }

    /**
     * One output: at a URL to fetch, or (vendors that answer with base64) already in hand. The
     * content type is the vendor's claim; the download's own header wins when there is one.
     */
    public record Output(@Nullable URI url, @Nullable String contentType, @Nullable byte[] inline) {

        public static Output at(URI url, @Nullable String contentType) {
            return new Output(url, contentType, null);
        }

        public static Output inline(byte[] bytes, String contentType) {
            return new Output(null, contentType, bytes);
        }
    }
}
