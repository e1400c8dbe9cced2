package dev.genq.generation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.sql.ColumnTransformer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * One paid generation. Its id is also its reservation's transfer id and its JobRunr job id, so the
 * three can never drift apart. JSON columns ({@code inputs}, {@code outputs}) are kept as text.
 *
 * @param chargedCoins      what its reservation posted (0 when voided); null until it ends
 * @param deliveredUnits    the units it delivered; null until it ends
 * @param cancelRequestedAt when the owner asked to stop it while it ran (models that allow it)
 * @param vendorCancelAt    when genq asked the vendor to cancel its task (past the deadline, or for the owner)
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
                         Instant updatedAt,
                         @Nullable Long chargedCoins,
                         @Nullable Integer deliveredUnits,
                         @Nullable Instant cancelRequestedAt,
                         @Nullable Instant vendorCancelAt,
                         @Nullable Instant outputsExpiredAt) {

    /** A timestamp for a generation's columns: PostgreSQL keeps microseconds, so cursors and cached views stay exact. */
    static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    public static Generation queued(UUID id, UUID accountId, String model, String inputsJson, int units,
                                    long priceCoins, int priceVersion, @Nullable UUID quoteId,
                                    @Nullable String dedupeKey, Instant now) {
        return new Generation(id, accountId, model, inputsJson, units, priceCoins, priceVersion, quoteId, dedupeKey,
            GenerationStatus.QUEUED, 0, 0, null, null, null, null, "[]", null, null, now, null, null, now, null, null, null, null, null);
    }

    /** Whether its vendor task is past the route's deadline at {@code now}. */
    public boolean overdue(Instant now) {
        return status == GenerationStatus.RUNNING && providerDeadlineAt != null && now.isAfter(providerDeadlineAt);
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
            now, chargedCoins, deliveredUnits, cancelRequestedAt, vendorCancelAt, outputsExpiredAt);
    }

    /** The settlement an ended generation records: outputs (JSON), what was charged and delivered, and why it failed if it did. */
    Generation settled(String outputsJson, long charged, int delivered, @Nullable String code, @Nullable String message) {
        return new Generation(id, accountId, model, inputs, units, priceCoins, priceVersion, quoteId, dedupeKey, status, progress, attempts,
            provider, providerTaskId, providerDeadlineAt, nextCheckAt, outputsJson, code, message, createdAt, startedAt, finishedAt,
            updatedAt, charged, delivered, cancelRequestedAt, vendorCancelAt, outputsExpiredAt);
    }

    /** The vendor task this attempt started, and when to look at it first. */
    Generation withTask(String providerName, String taskId, Instant deadline, Instant firstCheck, Instant now) {
        return new Generation(id, accountId, model, inputs, units, priceCoins, priceVersion, quoteId, dedupeKey, status, progress,
            attempts, providerName, taskId, deadline, firstCheck, outputs, errorCode, errorMessage, createdAt, startedAt,
            finishedAt, now, chargedCoins, deliveredUnits, cancelRequestedAt, vendorCancelAt, outputsExpiredAt);
    }

    Generation withAnotherAttempt(Instant now) {
        return new Generation(id, accountId, model, inputs, units, priceCoins, priceVersion, quoteId, dedupeKey, status, progress, attempts + 1,
            provider, providerTaskId, providerDeadlineAt, nextCheckAt, outputs, errorCode, errorMessage, createdAt, startedAt, finishedAt, now,
            chargedCoins, deliveredUnits, cancelRequestedAt, vendorCancelAt, outputsExpiredAt);
    }

    Generation withVendorCancel(Instant at) {
        return new Generation(id, accountId, model, inputs, units, priceCoins, priceVersion, quoteId, dedupeKey, status, progress, attempts,
            provider, providerTaskId, providerDeadlineAt, nextCheckAt, outputs, errorCode, errorMessage, createdAt, startedAt, finishedAt,
            updatedAt, chargedCoins, deliveredUnits, cancelRequestedAt, at, outputsExpiredAt);
    }
}
