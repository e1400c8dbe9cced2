package dev.genq.catalog;

import dev.genq.ledger.Coins;
import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.infra.Crypto;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Prices in force. The catalog file gives version 0; admin changes append versions. The current
 * entries are read in one query and kept for {@code genq.catalog.price-refresh} (default 5 s), so
 * submits cost no price lookup; a change made on this node applies here at once, on others within
 * the refresh. Quotes hold their price and version, so a change never alters a price shown.
 */
@Singleton
public class PriceList {
    /** A model's price in force. */
    public record Price(int version, long coinsPerUnit, boolean enabled) {
    }

    private final ModelPriceRepository repository;
    private final long refreshNanos;
    private volatile Map<String, ModelPrice> current;
    private volatile long loadedAtNanos;

    PriceList(ModelPriceRepository repository, @Value("${genq.catalog.price-refresh:5s}") Duration refresh) {
        this.repository = repository;
        this.refreshNanos = refresh.toNanos();
    }

    public Price current(Model model) {
        return Optional.ofNullable(entries().get(model.id()))
            .map(p -> new Price(p.version(), p.coinsPerUnit(), p.enabled()))
            .orElse(new Price(0, model.coinsPerUnit(), true));
    }

    /** Prices validated inputs at the current price; a disabled model is refused. */
    public Priced price(Validated validated) {
        Price price = current(validated.model());
        if (!price.enabled()) {
            throw new GenqException(ErrorCode.MODEL_DISABLED, "model " + validated.model().id() + " is not available now");
        }
        return priced(validated, Coins.times(price.coinsPerUnit(), validated.units()), price.version());
    }

    /** Validated inputs at a price fixed elsewhere (a quote's). */
    public Priced priced(Validated validated, long priceCoins, int priceVersion) {
        return new Priced(validated.model(), validated.inputs(), validated.units(), priceCoins, priceVersion, dedupeKey(validated));
    }

    /** Appends a price version: the new price, or the model switched on or off. */
    public Price change(Model model, long coinsPerUnit, boolean enabled, String actor, String reason) {
        Coins.require(coinsPerUnit, "coinsPerUnit");
        try {
            repository.append(model.id(), coinsPerUnit, enabled, actor, reason);
        } catch (io.micronaut.data.exceptions.DataAccessException e) {
            // Two changes took the same next version; the primary key let one win.
            throw new GenqException(ErrorCode.INVALID_STATE, "another price change of " + model.id() + " landed at the same time; look and retry");
        }
        reload();
        return current(model);
    }

    private Map<String, ModelPrice> entries() {
        Map<String, ModelPrice> entries = current;
        if (entries == null || System.nanoTime() - loadedAtNanos > refreshNanos) {
            entries = reload();
        }
        return entries;
    }

    /** Serialised, so a slow read of an older snapshot can never replace a newer one. */
    private synchronized Map<String, ModelPrice> reload() {
        Map<String, ModelPrice> entries = repository.findCurrent().stream()
            .collect(Collectors.toUnmodifiableMap(ModelPrice::model, Function.identity()));
        current = entries;
        loadedAtNanos = System.nanoTime();
        return entries;
    }

    private static String dedupeKey(Validated validated) {
        DuplicateGuard guard = validated.model().duplicateGuard();
        if (guard == null) {
            return null;
        }
        String target = guard.input() != null
            ? String.valueOf(validated.inputs().get(guard.input())).trim().toLowerCase(java.util.Locale.ROOT)
            : validated.inputs().toString();
        return Crypto.sha256Hex(target);
    }
}
