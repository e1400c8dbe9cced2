package dev.genq.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/**
 * A model in the catalog. The price is {@code coinsPerUnit} × units, where units is the integer
 * input named by {@code unitsFrom} (images, seconds) or 1 when it is absent. {@code coinsPerUnit}
 * here is price version 0; admins append later versions (see {@link PriceList}).
 */
@Serdeable
public record Model(String id,
                    ModelKind kind,
                    @Nullable String description,
                    String provider,
                    long coinsPerUnit,
                    @Nullable String unitsFrom,
                    Map<String, InputField> inputs,
                    @Nullable DuplicateGuard duplicateGuard) {
}
