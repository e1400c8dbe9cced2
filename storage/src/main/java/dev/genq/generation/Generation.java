package dev.genq.generation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.sql.ColumnTransformer;
import java.time.Instant;
import java.util.UUID;

/**
 * One paid generation. Its id is also its reservation's transfer id and its JobRunr job id, so the
 * three can never drift apart. JSON columns ({@code inputs}, {@code outputs}) are kept as text.
 */
@MappedEntity("generation")
public record Generation(@Id UUID id,
                         UUID accountId,
                         String model,
                         @ColumnTransformer(write = "?::jsonb") String inputs,
                         int units,
                         long priceCoins,
                         int priceVersion,
                         @Nullable UUID quoteId,
                         @Nullable String dedupeKey,
                         GenerationStatus status,
                         int progress,
                         int attempts,
                         @Nullable String provider,
                         @Nullable String providerTaskId,
                         @Nullable Instant providerDeadlineAt,
                         @Nullable Instant nextCheckAt,
                         @ColumnTransformer(write = "?::jsonb") String outputs,
                         @Nullable String errorCode,
                         @Nullable String errorMessage,
                         Instant createdAt,
                         @Nullable Instant startedAt,
                         @Nullable Instant finishedAt,
                         Instant updatedAt) {

    public static Generation queued(UUID id, UUID accountId, String model, String inputsJson, int units,
                                    long priceCoins, int priceVersion, @Nullable UUID quoteId,
                                    @Nullable String dedupeKey, Instant now) {
        return new Generation(id, accountId, model, inputsJson, units, priceCoins, priceVersion, quoteId, dedupeKey,
            GenerationStatus.QUEUED, 0, 0, null, null, null, null, "[]", null, null, now, null, null, now);
    }

    /** The row after a state change; throws if the state machine forbids it. */
    Generation moveTo(GenerationStatus next, Instant now) {
        if (!status.canMoveTo(next)) {
            throw new IllegalTransitionException(status, next);
        }
        return new Generation(id, accountId, model, inputs, units, priceCoins, priceVersion, quoteId, dedupeKey, next,
            next == GenerationStatus.SUCCEEDED ? 100 : progress,
            next == GenerationStatus.RUNNING ? attempts + 1 : attempts,
            provider, providerTaskId, providerDeadlineAt, nextCheckAt, outputs, errorCode, errorMessage, createdAt,
            next == GenerationStatus.RUNNING ? now : startedAt,
            next.isTerminal() ? now : finishedAt,
            now);
    }

    Generation withOutputs(String outputsJson) {
        return new Generation(id, accountId, model, inputs, units, priceCoins, priceVersion, quoteId, dedupeKey, status, progress, attempts,
            provider, providerTaskId, providerDeadlineAt, nextCheckAt, outputsJson, errorCode, errorMessage, createdAt, startedAt, finishedAt, updatedAt);
    }

    Generation withError(String code, String message) {
        return new Generation(id, accountId, model, inputs, units, priceCoins, priceVersion, quoteId, dedupeKey, status, progress, attempts,
            provider, providerTaskId, providerDeadlineAt, nextCheckAt, outputs, code, message, createdAt, startedAt, finishedAt, updatedAt);
    }

    /** The vendor task this attempt started, and when to look at it first. */
    Generation withTask(String providerName, String taskId, Instant deadline, Instant firstCheck, Instant now) {
        return new Generation(id, accountId, model, inputs, units, priceCoins, priceVersion, quoteId, dedupeKey, status, progress,
            attempts, providerName, taskId, deadline, firstCheck, outputs, errorCode, errorMessage, createdAt, startedAt,
            finishedAt, now);
    }

    Generation withAnotherAttempt(Instant now) {
        return new Generation(id, accountId, model, inputs, units, priceCoins, priceVersion, quoteId, dedupeKey, status, progress, attempts + 1,
            provider, providerTaskId, providerDeadlineAt, nextCheckAt, outputs, errorCode, errorMessage, createdAt, startedAt, finishedAt, now);
    }
}
