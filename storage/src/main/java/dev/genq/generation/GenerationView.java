package dev.genq.generation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a status read needs, as published to Redis after each committed change. It carries the
 * owner so a cached read can still enforce ownership without PostgreSQL. {@code chargedCoins} and
 * {@code deliveredUnits} are set once it ended, as its reservation was resolved. {@code inputs} are
 * what its owner asked for, as priced. {@code vendorQueuePosition}: where a running task waits in its
 * vendor's own queue, when the vendor says (fal does). {@code outputsExpiredAt}: when retention deleted
 * its outputs (it then lists none).
 */
@Serdeable
public record GenerationView(UUID id,
                             UUID accountId,
                             String model,
                             GenerationStatus status,
                             int progress,
                             int units,
                             long priceCoins,
                             int attempts,
                             List<GenerationOutput> outputs,
                             @Nullable String errorCode,
                             @Nullable String errorMessage,
                             Instant createdAt,
                             @Nullable Instant startedAt,
                             @Nullable Instant finishedAt,
                             @Nullable Long chargedCoins,
                             @Nullable Integer deliveredUnits,
                             @Nullable Instant cancelRequestedAt,
                             Map<String, Object> inputs,
                             @Nullable Integer vendorQueuePosition,
                             @Nullable Instant outputsExpiredAt) {

    /**
     * A JSON mapper that leaves out empty collections (serde's default inclusion) reads no outputs
     * back as null: they are none. A status published before views carried inputs has none either.
     */
    public GenerationView {
        outputs = outputs == null ? List.of() : outputs;
        inputs = inputs == null ? Map.of() : inputs;
    }

    public GenerationView withProgress(int newProgress, @Nullable Integer newVendorQueuePosition) {
        return new GenerationView(id, accountId, model, status, newProgress, units, priceCoins, attempts, outputs,
            errorCode, errorMessage, createdAt, startedAt, finishedAt, chargedCoins, deliveredUnits, cancelRequestedAt, inputs,
            newVendorQueuePosition, outputsExpiredAt);
    }
}
