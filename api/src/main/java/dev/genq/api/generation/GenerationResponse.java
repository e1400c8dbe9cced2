package dev.genq.api.generation;

import dev.genq.generation.GenerationStatus;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A generation as its owner sees it, with the inputs it was priced for; outputs carry URLs once it ended with outputs, minted on each
 * read. {@code priceCoins} is what was reserved; once it ended, {@code chargedCoins} is what was
 * taken and {@code refundedCoins} what came back (they add up to the price), with the units the
 * vendor delivered. {@code outputsExpiredAt}: retention deleted its outputs then (it lists none).
 * {@code cancelRequestedAt}: the owner asked to stop it while it ran. {@code queue}:
 * while it waits or runs, where it stands and when it should be done (see {@link Queue}).
 */
@Serdeable
public record GenerationResponse(UUID id,
                                 String model,
                                 Map<String, Object> inputs,
                                 GenerationStatus status,
                                 int progress,
                                 int units,
                                 long priceCoins,
                                 @Nullable Long chargedCoins,
                                 @Nullable Long refundedCoins,
                                 @Nullable Integer deliveredUnits,
                                 @Nullable Instant cancelRequestedAt,
                                 int attempts,
                                 @Nullable Error error,
                                 List<Output> outputs,
                                 @Nullable Instant outputsExpiredAt,
                                 Instant createdAt,
                                 @Nullable Instant startedAt,
                                 @Nullable Instant finishedAt,
                                 @Nullable Queue queue) {

    @Serdeable
    public record Error(String code, @Nullable String message) {
    }

    /**
     * {@code position}: generations of the same model waiting ahead of a QUEUED one (0: next);
     * {@code vendorPosition}: where a RUNNING one waits in the vendor's own queue, when the vendor says;
     * the estimates come from the model's recent start rate and run times, absent when there are none.
     */
    @Serdeable
    public record Queue(@Nullable Long position, @Nullable Integer vendorPosition, @Nullable Instant estimatedStartAt,
                        @Nullable Instant estimatedFinishAt) {
    }

    @Serdeable
    public record Output(int index, String contentType, long sizeBytes, URI url, Instant urlExpiresAt) {
    }
}
