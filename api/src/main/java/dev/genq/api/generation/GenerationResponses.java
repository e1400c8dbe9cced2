package dev.genq.api.generation;

import dev.genq.blob.BlobStore;
import dev.genq.blob.S3Config;
import dev.genq.generation.GenerationStatus;
import dev.genq.generation.GenerationView;
import dev.genq.generation.QueueEstimates;
import dev.genq.generation.StatusCache;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Shapes views into responses. URLs are minted only for an ended generation's recorded outputs
 * (written after their upload finished), and only after ownership was checked (invariant I6).
 */
@Singleton
public class GenerationResponses {
    private final BlobStore blobs;
    private final Duration urlTtl;
    private final long etagPeriodMillis;
    private final Clock clock;

    GenerationResponses(BlobStore blobs, S3Config s3, Clock clock) {
        this.blobs = blobs;
        // Read once: a configuration interface's getter looks its property up and converts it on every call.
        this.urlTtl = s3.getUrlTtl();
        this.etagPeriodMillis = Math.max(1, urlTtl.toMillis() / 2);
        this.clock = clock;
    }

    /**
     * The ETag of a status: its version, and the period of the output URLs' lifetime it is served
     * in, so a client that keeps getting 304 still renews its signed URLs before they expire.
     */
    String etag(StatusCache.Entry status, Optional<QueueEstimates.Estimate> estimate) {
        return "\"" + status.version() + "-" + Long.toString(clock.millis() / etagPeriodMillis, 36) + estimateTag(estimate) + "\"";
    }

    /**
     * What a client should see change of an estimate: the position, and the times to ten seconds
     * (they move a little on every read). Part of the ETag; an event stream resends on a change.
     */
    public static String estimateTag(Optional<QueueEstimates.Estimate> estimate) {
        return estimate.map(e -> "-" + e.position() + "-" + bucket(e.estimatedStartAt()) + "-" + bucket(e.estimatedFinishAt())).orElse("");
    }

    private static String bucket(Instant at) {
        return at == null ? "" : Long.toString(at.getEpochSecond() / 10, 36);
    }

    /** Whether an If-None-Match header names this ETag (or is {@code *}). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    GenerationResponse of(GenerationView v) {
        return of(v, Optional.empty());
    }

    public GenerationResponse of(GenerationView v, Optional<QueueEstimates.Estimate> estimate) {
        List<GenerationResponse.Output> outputs = List.of();
        boolean live = v.outputsExpiredAt() == null; // retention deleted them: no URL for an object that is gone (I6)
        if (live && (v.status() == GenerationStatus.SUCCEEDED || v.status() == GenerationStatus.CANCELLED)) { // outputs are recorded once stored
            Instant expiresAt = clock.instant().plus(urlTtl);
            outputs = v.outputs().stream()
                .map(o -> new GenerationResponse.Output(o.index(), o.contentType(), o.sizeBytes(), blobs.presignGet(o.key()), expiresAt))
                .toList();
        }
        GenerationResponse.Error error = v.errorCode() == null ? null : new GenerationResponse.Error(v.errorCode(), v.errorMessage());
        Long refunded = v.chargedCoins() == null ? null : v.priceCoins() - v.chargedCoins();
        return new GenerationResponse(v.id(), v.model(), v.inputs(), v.status(), v.progress(), v.units(), v.priceCoins(), v.chargedCoins(), refunded,
            v.deliveredUnits(), v.cancelRequestedAt(), v.attempts(),
            error, outputs, v.outputsExpiredAt(), v.createdAt(), v.startedAt(), v.finishedAt(), queue(v, estimate));
    }

    private static GenerationResponse.Queue queue(GenerationView v, Optional<QueueEstimates.Estimate> estimate) {
        if (v.status().isTerminal() || (estimate.isEmpty() && v.vendorQueuePosition() == null)) {
            return null;
        }
        return new GenerationResponse.Queue(estimate.map(QueueEstimates.Estimate::position).orElse(null), v.vendorQueuePosition(),
            estimate.map(QueueEstimates.Estimate::estimatedStartAt).orElse(null),
            estimate.map(QueueEstimates.Estimate::estimatedFinishAt).orElse(null));
    }
}
