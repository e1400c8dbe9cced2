package dev.genq.catalog;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.infra.JsonText;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Gives quotes and redeems them: a submit that names a quote pays exactly the quoted price. */
@Singleton
public class Quotes {
    private final Catalog catalog;
    private final PriceList prices;
    private final QuoteRepository quotes;
    private final CatalogConfig config;
    private final JsonText json;
    private final Clock clock;

    public Quotes(Catalog catalog, PriceList prices, QuoteRepository quotes, CatalogConfig config, JsonText json, Clock clock) {
        this.catalog = catalog;
        this.prices = prices;
        this.quotes = quotes;
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    public Quote give(UUID accountId, String modelId, Map<String, Object> inputs) {
        Priced priced = prices.price(catalog.validate(modelId, inputs));
        Instant expiresAt = clock.instant().plus(config.getQuoteTtl());
        return quotes.save(new Quote(UUID.randomUUID(), accountId, priced.model().id(), json.write(priced.inputs()),
            priced.units(), priced.priceCoins(), priced.priceVersion(), expiresAt, null));
    }

    /**
     * Prices a submit. With a quote id, the quote must be this account's, unexpired, and for the same
     * model and inputs; its price and version then stand, whatever the price list says now.
     */
    public Priced priceForSubmit(UUID accountId, String modelId, Map<String, Object> inputs, UUID quoteId) {
        Validated validated = catalog.validate(modelId, inputs);
        Priced current = prices.price(validated);
        if (quoteId == null) {
            return current;
        }
        Quote quote = quotes.findById(quoteId).filter(q -> q.accountId().equals(accountId))
            .orElseThrow(() -> GenqException.notFound("quote " + quoteId));
        if (!clock.instant().isBefore(quote.expiresAt())) {
            throw new GenqException(ErrorCode.QUOTE_EXPIRED, "quote " + quoteId + " expired at " + quote.expiresAt() + "; ask for a new one");
        }
        if (!quote.model().equals(validated.model().id()) || !sameInputs(quote.inputs(), validated)) {
            throw new GenqException(ErrorCode.QUOTE_MISMATCH, "quote " + quoteId + " was given for other model or inputs");
        }
        return prices.priced(validated, quote.priceCoins(), quote.priceVersion());
    }

    private boolean sameInputs(String quotedJson, Validated validated) {
        return json.write(new TreeMap<>(json.readObject(quotedJson))).equals(json.write(validated.inputs()));
    }
}
