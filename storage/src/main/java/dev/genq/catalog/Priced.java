package dev.genq.catalog;

import io.micronaut.core.annotation.Nullable;
import java.util.SortedMap;

/**
 * Validated inputs with their price: {@code priceVersion} says which price-list entry set it, and
 * {@code dedupeKey} names the target the duplicate guard watches (null when the model has none).
 */
public record Priced(Model model, SortedMap<String, Object> inputs, int units, long priceCoins, int priceVersion,
                     @Nullable String dedupeKey) {
}
