package dev.genq.catalog;

import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Id;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** One entry of a model's price history; the highest version is in force. */
@Serdeable
@MappedEntity("model_price")
public record ModelPrice(@Id String model, int version, long coinsPerUnit, boolean enabled, String changedBy,
                         String reason, @GeneratedValue Instant createdAt) {
}
