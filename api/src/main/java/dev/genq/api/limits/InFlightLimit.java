package dev.genq.api.limits;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import dev.genq.generation.StatusCache;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.UUID;

/**
 * An account's generations QUEUED or RUNNING at once, as the status cache counts them: a submit
 * beyond the limit is 429 and charges nothing. Two submits racing at the limit may both pass; a
 * limit that stops a runaway loop needs no more than that.
 */
@Singleton
public class InFlightLimit {
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    private final StatusCache cache;
    private final int limit;

    InFlightLimit(StatusCache cache, LimitsConfig config) {
        this.cache = cache;
        this.limit = config.getAccountGenerationsInFlight();
    }

    public void check(UUID accountId) {
        if (cache.inFlight(accountId) >= limit) {
            throw new GenqException(ErrorCode.RATE_LIMITED, "this account has " + limit
                + " generations queued or running, its limit; submit more as they end").retryAfter(RETRY_AFTER);
        }
    }
}
