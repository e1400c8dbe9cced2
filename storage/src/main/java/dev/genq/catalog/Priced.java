package dev.genq.catalog;

import java.util.SortedMap;

/** A model with inputs that passed its schema: defaults filled in, units and price worked out. */
public record Priced(Model model, SortedMap<String, Object> inputs, int units, long priceCoins) {
}
