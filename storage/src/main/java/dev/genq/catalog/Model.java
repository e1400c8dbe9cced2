package dev.genq.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A model in the catalog. The price is {@code coinsPerUnit} × units, where units is the integer
 * input named by {@code unitsFrom} (images, seconds) or 1 when it is absent. {@code coinsPerUnit}
 * here is price version 0; admins append later versions (see {@link PriceList}).
 *
 * <p>{@code routes} are tried in order: the primary first, then the fallbacks. {@code provider} is
 * shorthand for a single route on that account; a model names one or the other. {@code maxAttempts}
 * lowers {@code genq.worker.max-attempts} for this model (a slow, costly video may deserve fewer tries).
 *
 * <p>{@code cancelAfterStart}: whether the owner may still cancel once the vendor task started (a
 * reseller order whose panel refunds the undelivered remains); default false, so only a QUEUED
 * generation can be cancelled. {@code failureFees}: what a failure with a given vendor error code
 * charges, by code: a whole number of coins (at most the price), or {@code "price"} to refund
 * nothing (a reseller order placed with a wrong link, say); a code not listed is refunded in full,
 * as is every failure that is genq's own or a timeout ({@link #UNCHARGEABLE}).
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
                    @Nullable Integer maxAttempts,
                    @Nullable Boolean cancelAfterStart,
                    @Nullable Map<String, Object> failureFees) {

    /** What {@code failureFees} names for "keep the whole price". */
    public static final String WHOLE_PRICE = "price";

    /**
     * Failure codes that never carry a fee: genq's own faults, timeouts, cancels, and answers genq
     * could not read. Charging for them would bill a customer for what genq or the vendor failed at.
     */
    public static final Set<String> UNCHARGEABLE = Set.of("timeout", "provider_timeout", "internal_error",
        "provider_submit_unknown", "provider_not_configured", "no_route_available", "account_blocked", "provider_cancelled",
        "provider_malformed_response", "provider_no_answer", "provider_unreachable", "provider_result_lost",
        "provider_no_output", "output_download_failed", "output_too_large", "output_transfer_failed", "output_wrong_type",
        "storage_unavailable", "worker_interrupted", "not_found");

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
        failureFees = failureFees == null ? Map.of() : checkedFees(id, failureFees);
    }

    private static Map<String, Object> checkedFees(String id, Map<String, Object> fees) {
        Map<String, Object> checked = new LinkedHashMap<>();
        fees.forEach((code, fee) -> {
            if (UNCHARGEABLE.contains(code)) {
                throw new IllegalArgumentException("model " + id + " sets a failure fee for " + code
                    + ", which is genq's own fault or a timeout and is always refunded");
            }
            if (fee instanceof Number n && (n instanceof Integer || n instanceof Long) && n.longValue() >= 0) {
                checked.put(code, n.longValue());
            } else if (WHOLE_PRICE.equals(fee)) {
                checked.put(code, WHOLE_PRICE);
            } else {
                throw new IllegalArgumentException("model " + id + " failure fee for " + code + " must be a whole number of coins"
                    + " (0 or more) or \"" + WHOLE_PRICE + "\", not " + fee);
            }
        });
        return Map.copyOf(checked);
    }

    /** Whether the owner may cancel after the vendor task started. */
    public boolean cancellableAfterStart() {
        return Boolean.TRUE.equals(cancelAfterStart);
    }

    /** What a failure with {@code errorCode} charges of a {@code priceCoins} reservation: 0 unless this model names a fee for it. */
    public long failureFeeCoins(String errorCode, long priceCoins) {
        Object fee = errorCode == null ? null : failureFees.get(errorCode);
        if (fee == null) {
            return 0;
        }
        return WHOLE_PRICE.equals(fee) ? priceCoins : Math.min((Long) fee, priceCoins);
    }

    /** The route on {@code provider}, if this model has one there. */
    public Optional<Route> route(String provider) {
        return routes.stream().filter(r -> r.provider().equals(provider)).findFirst();
    }
}
