package dev.genq.api.generation;

import dev.genq.blob.BlobStore;
import dev.genq.blob.S3Config;
import dev.genq.generation.GenerationStatus;
import dev.genq.generation.GenerationView;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Shapes views into responses. URLs are minted only for a SUCCEEDED generation's recorded outputs
 * (written after their upload finished), and only after ownership was checked (invariant I6).
 */
@Singleton
class GenerationResponses {
    private final BlobStore blobs;
    private final S3Config s3;
    private final Clock clock;

    GenerationResponses(BlobStore blobs, S3Config s3, Clock clock) {
        this.blobs = blobs;
        this.s3 = s3;
        this.clock = clock;
    }

    GenerationResponse of(GenerationView v) {
        List<GenerationResponse.Output> outputs = List.of();
        if (v.status() == GenerationStatus.SUCCEEDED) {
            Instant expiresAt = clock.instant().plus(s3.getUrlTtl());
            outputs = v.outputs().stream()
                .map(o -> new GenerationResponse.Output(o.index(), o.contentType(), o.sizeBytes(), blobs.presignGet(o.key()), expiresAt))
                .toList();
        }
        GenerationResponse.Error error = v.errorCode() == null ? null : new GenerationResponse.Error(v.errorCode(), v.errorMessage());
        return new GenerationResponse(v.id(), v.model(), v.status(), v.progress(), v.units(), v.priceCoins(), v.attempts(),
            error, outputs, v.createdAt(), v.startedAt(), v.finishedAt());
    }
}
