package dev.genq.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model in the catalog. The price is {@code coinsPerUnit} × units, where units is the integer
 * input named by {@code unitsFrom} (images, seconds) or 1 when it is absent. {@code coinsPerUnit}
 * here is price version 0; admins append later versions (see {@link PriceList}).
 *
 * <p>{@code routes} are tried in order: the primary first, then the fallbacks. {@code provider} is
 * shorthand for a single route on that account; a model names one or the other. {@code maxAttempts}
 * lowers {@code genq.worker.max-attempts} for this model (a slow, costly video may deserve fewer tries).
 */
@Serdeable
public record Model(String id,
                    ModelKind kind,
                    @Nullable String description,
                    @Nullable String provider,
                    @Nullable List<Route> routes,
                    long coinsPerUnit,
                    @Nullable String unitsFrom,
                    Map<String, InputField> inputs,
                    @Nullable DuplicateGuard duplicateGuard,
                    @Nullable Integer maxAttempts) {

    public Model {
        if (routes == null || routes.isEmpty()) {
            if (provider == null) {
                throw new IllegalArgumentException("model " + id + " names neither a provider nor routes");
            }
            routes = List.of(new Route(provider, null, null, null));
        } else {
            routes = List.copyOf(routes);
        }
        if (!routes.stream().map(Route::provider).allMatch(new HashSet<>()::add)) {
            throw new IllegalArgumentException("model " + id + " routes to the same provider account twice");
        }
    }

    /** The route on {@code provider}, if this model has one there. */
    public Optional<Route> route(String provider) {
        return routes.stream().filter(r -> r.provider().equals(provider)).findFirst();
    }
}
