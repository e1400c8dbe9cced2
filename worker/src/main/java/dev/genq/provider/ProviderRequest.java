package dev.genq.provider;

import java.util.Map;
import java.util.UUID;

/** What a vendor needs: the model's vendor-side name, validated inputs and the units ordered. */
public record ProviderRequest(UUID generationId, String model, Map<String, Object> inputs, int units) {
}
