package dev.genq.activity;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.UUID;

/** One security-relevant event; {@code actor} is a person, a key ("key:<id>"), a gateway or genq itself. */
@Serdeable
@MappedEntity("activity")
public record Activity(@Id @GeneratedValue @Nullable Long id, @GeneratedValue @Nullable Instant at, @Nullable UUID accountId,
                       String actor, String kind, @Nullable String detail, @Nullable String ip, @Nullable String userAgent) {
}
