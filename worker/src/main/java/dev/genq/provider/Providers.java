package dev.genq.provider;

import dev.genq.provider.asynchttp.AsyncHttpProvider;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The configured provider accounts by name. */
@Singleton
public class Providers {
    private final Map<String, Provider> byName;

    public Providers(List<ProviderConfig> configs, MeterRegistry metrics) {
        this.byName = configs.stream().collect(Collectors.toMap(ProviderConfig::getName,
            c -> (Provider) new AsyncHttpProvider(c, metrics), (a, b) -> a, java.util.LinkedHashMap::new));
    }

    public Provider get(String name) throws ProviderException {
        Provider provider = byName.get(name);
        if (provider == null) {
            throw ProviderException.permanent("provider_not_configured", "no provider named '" + name + "' is configured");
        }
        return provider;
    }
}
