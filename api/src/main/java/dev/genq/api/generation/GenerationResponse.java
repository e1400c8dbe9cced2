package dev.genq.api.generation;

import dev.genq.generation.GenerationStatus;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A generation as its owner sees it; outputs carry URLs only once SUCCEEDED, minted on each read. */
@Serdeable
public record GenerationResponse(UUID id,
                                 String model,
                                 GenerationStatus status,
                                 int progress,
                                 int units,
                                 long priceCoins,
                                 int attempts,
                                 @Nullable Error error,
                                 List<Output> outputs,
                                 Instant createdAt,
                                 @Nullable Instant startedAt,
                                 @Nullable Instant finishedAt) {

    @Serdeable
    public record Error(String code, @Nullable String message) {
    }

    @Serdeable
    public record Output(int index, String contentType, long sizeBytes, URI url, Instant urlExpiresAt) {
    }
}
