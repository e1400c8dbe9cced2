package dev.genq.execution;

import dev.genq.catalog.Catalog;
import dev.genq.catalog.Model;
import dev.genq.catalog.Route;
import dev.genq.generation.Generation;
import dev.genq.provider.ProviderException;
import dev.genq.provider.Providers;
import dev.genq.provider.TaskRef;
import dev.genq.routing.RouteHealth;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A model's routes as the worker uses them: each with its account, its breaker, and its calls counted. */
@Singleton
class Routes {
    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);

    /** One route ready to call. */
    record Target(String id, Route route, Providers.Account account, String vendorModel) {
        Duration deadline() {
            Duration own = route.deadlineDuration();
            return own != null ? own : account.config().getDeadline();
        }
    }

    private final Catalog catalog;
    private final Providers providers;
    private final RouteHealth health;
    private final MeterRegistry metrics;
    /** Where vendors reach this cluster's webhooks, without a trailing slash; null when unset. */
    private final String webhookBase;

    Routes(Catalog catalog, Providers providers, RouteHealth health, MeterRegistry metrics, WorkerConfig config) {
        this.catalog = catalog;
        String base = config.getWebhookBaseUrl();
        this.webhookBase = base == null || base.isBlank() ? null : base.replaceAll("/+$", "");
        this.providers = providers;
        this.health = health;
        this.metrics = metrics;
    }

    /** The model's routes in order, primary first; a route whose account is not configured is left out, loudly. */
    List<Target> targets(Model model) {
        List<Target> targets = new ArrayList<>();
        for (Route route : model.routes()) {
            try {
                targets.add(new Target(route.id(model.id()), route, providers.get(route.provider()), route.vendorModel(model.id())));
            } catch (ProviderException e) {
                LOG.warn("model {} routes to provider account {}, which is not configured", model.id(), route.provider());
            }
        }
        return targets;
    }

    /** Whether the route's breaker lets a call through now. */
    boolean allow(Target target) {
        boolean allowed = health.allow(target.id());
        if (!allowed) {
            metrics.counter("genq.route.calls", "route", target.id(), "outcome", "refused").increment();
        }
        return allowed;
    }

    void record(Target target, boolean succeeded) {
        health.record(target.id(), succeeded);
        metrics.counter("genq.route.calls", "route", target.id(), "outcome", succeeded ? "ok" : "failed").increment();
    }

    /** The account a generation's vendor task runs on. */
    Providers.Account accountOf(Generation generation) throws ProviderException {
        return providers.get(generation.provider());
    }

    /** The recorded vendor task of a generation, with what its route says about asking after it. */
    TaskRef taskOf(Generation generation) {
        Model model = catalog.model(generation.model());
        Route route = model.route(generation.provider()).orElse(null);
        return new TaskRef(generation.providerTaskId(), route == null ? model.id() : route.vendorModel(model.id()),
            generation.units(), route == null ? Map.of() : route.options());
    }

    /** Where this account's vendor should call back, if webhooks are set up for it; null if not. */
    String webhookUrl(Providers.Account account) {
        return calledBack(account) ? webhookBase + "/webhooks/providers/" + account.name() : null;
    }

    /**
     * The pause before the next check of a task running for {@code age} on this account. Where the
     * vendor calls back, the webhook wakes the check and checks are only a safety net for a lost one.
     */
    Duration nextCheckAfter(Providers.Account account, Duration age) {
        return calledBack(account) ? account.config().getWebhookPollInterval() : account.config().nextCheckAfter(age);
    }

    private boolean calledBack(Providers.Account account) {
        return webhookBase != null && account.provider().webhooksEnabled();
    }
}
