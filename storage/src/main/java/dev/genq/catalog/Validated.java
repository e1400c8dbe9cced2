package dev.genq.catalog;

import java.util.SortedMap;

/** A model with inputs that passed its schema: defaults filled in, units counted, not yet priced. */
public record Validated(Model model, SortedMap<String, Object> inputs, int units) {
}
