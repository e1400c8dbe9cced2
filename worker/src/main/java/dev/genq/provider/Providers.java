package dev.genq.provider;

import dev.genq.provider.fal.FalQueueProvider;
import dev.genq.provider.fal.FalWebhookKeys;
import dev.genq.provider.generic.GenericHttpProvider;
import dev.genq.provider.openai.OpenAiImagesProvider;
import dev.genq.provider.replicate.ReplicateProvider;
import dev.genq.provider.smm.SmmPanelProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanContext;
import io.micronaut.http.client.HttpClientRegistry;
import io.micronaut.http.client.LoadBalancer;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The configured provider accounts by name, each with the adapter of its wire format. */
@Singleton
public class Providers {
    /** A provider account: its configuration and the adapter speaking its wire format. */
    public record Account(ProviderConfig config, Provider provider) {
        public String name() {
            return config.getName();
        }
    }

    private final Map<String, Account> byName = new LinkedHashMap<>();

    /**
     * Clients come from the context's registry, not the static factory: they then share the
     * context's event loops and close with it, so one context stopping never stalls another's calls.
     */
    public Providers(List<ProviderConfig> configs, MeterRegistry metrics, HttpClientRegistry<?> clients, BeanContext context, Clock clock) {
        FalWebhookKeys falKeys = new FalWebhookKeys(clock);
        for (ProviderConfig c : configs) {
            VendorHttp http = new VendorHttp(c, clients.resolveClient(null, LoadBalancer.fixed(URI.create(c.getBaseUrl())),
                VendorHttp.clientConfiguration(c), context).toBlocking(), metrics);
            Provider provider = switch (c.getType()) {
                case generic -> new GenericHttpProvider(http, clock);
                case openai -> new OpenAiImagesProvider(http);
                case replicate -> new ReplicateProvider(http, clock);
                case fal -> new FalQueueProvider(http, falKeys, clock);
                case smm -> new SmmPanelProvider(http);
            };
            byName.put(c.getName(), new Account(c, provider));
        }
    }

    public Account get(String name) throws ProviderException {
        Account account = byName.get(name);
        if (account == null) {
            throw ProviderException.permanent("provider_not_configured", "no provider named '" + name + "' is configured");
        }
        return account;
    }
}
