package dev.genq.api.limits;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.generation.StatusCache;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.UUID;

/**
 * Generations QUEUED or RUNNING at once, per account and per key, as the status cache counts them:
 * a submit beyond either limit is 429 and charges nothing. Two submits racing at a limit may both
 * pass; a limit that stops a runaway loop needs no more than that.
 */
@Singleton
public class InFlightLimit {
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    private final StatusCache cache;
    private final int limit;
    private final int keyLimit;

    InFlightLimit(StatusCache cache, LimitsConfig config) {
        this.cache = cache;
        this.limit = config.getAccountGenerationsInFlight();
        this.keyLimit = config.getKeyGenerationsInFlight();
    }

    public void check(UUID accountId, UUID keyId) {
        StatusCache.InFlight now = cache.inFlight(accountId, keyId);
        if (now.account() >= limit) {
            throw new GenqException(ErrorCode.RATE_LIMITED, "this account has " + limit
                + " generations queued or running, its limit; submit more as they end").retryAfter(RETRY_AFTER);
        }
        if (now.key() >= keyLimit) {
            throw new GenqException(ErrorCode.RATE_LIMITED, "this key has " + keyLimit
                + " generations queued or running, its limit; submit more as they end").retryAfter(RETRY_AFTER);
        }
    }

    /** Counts a generation a key just submitted against the key. */
    public void submitted(UUID keyId, UUID generationId, java.time.Instant createdAt) {
        cache.submittedWith(keyId, generationId, createdAt);
    }
}
