package dev.genq.catalog;

import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.sql.ColumnTransformer;
import java.time.Instant;
import java.util.UUID;

/** A price given to one account for one model and normalized inputs, binding until it expires. */
@MappedEntity("quote")
public record Quote(@Id UUID id,
                    UUID accountId,
                    String model,
                    @ColumnTransformer(write = "?::jsonb") String inputs,
                    int units,
                    long priceCoins,
                    int priceVersion,
                    Instant expiresAt,
                    @GeneratedValue Instant createdAt) {
}
