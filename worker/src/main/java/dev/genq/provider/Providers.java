package dev.genq.provider;

import dev.genq.provider.asynchttp.AsyncHttpProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanContext;
import io.micronaut.http.client.HttpClientRegistry;
import io.micronaut.http.client.LoadBalancer;
import java.net.URI;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The configured provider accounts by name, each with its adapter. */
@Singleton
public class Providers {
    /** A provider account: its configuration and the adapter speaking its wire format. */
    public record Account(ProviderConfig config, Provider provider) {
        public String name() {
            return config.getName();
        }
    }

    private final Map<String, Account> byName;

    /**
     * Clients come from the context's registry, not the static factory: they then share the
     * context's event loops and close with it, so one context stopping never stalls another's calls.
     */
    public Providers(List<ProviderConfig> configs, MeterRegistry metrics, HttpClientRegistry<?> clients, BeanContext context) {
        this.byName = configs.stream().collect(Collectors.toMap(ProviderConfig::getName,
            c -> new Account(c, new AsyncHttpProvider(c, clients.resolveClient(null,
                LoadBalancer.fixed(URI.create(c.getBaseUrl())), AsyncHttpProvider.clientConfiguration(c), context), metrics)),
            (a, b) -> a, java.util.LinkedHashMap::new));
    }

    public Account get(String name) throws ProviderException {
        Account account = byName.get(name);
        if (account == null) {
            throw ProviderException.permanent("provider_not_configured", "no provider named '" + name + "' is configured");
        }
        return account;
    }
}
