package dev.genq.provider;

import io.micronaut.core.annotation.Nullable;
import java.util.Map;
import java.util.UUID;

/**
 * What a vendor needs: the model's vendor-side name, validated inputs, the units ordered, where to
 * send its webhook (null when genq relies on polling alone) and the route's adapter options.
 */
public record ProviderRequest(UUID generationId, String model, Map<String, Object> inputs, int units,
                              @Nullable String webhookUrl, Map<String, Object> options) {
}
