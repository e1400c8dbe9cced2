package dev.genq.idempotency;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Claims, completes and releases idempotency keys. */
@Singleton
public class IdempotencyKeys {
    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyKeys.class);
    private static final int MAX_KEY_LENGTH = 255;
    private static final long RELEASE_RETRY_MS = 1_000;
    private final IdempotencyRepository repository;
    private final IdempotencyConfig config;
    private final Clock clock;
    private final ScheduledExecutorService releases = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name("genq-idempotency-releases").factory());

    IdempotencyKeys(IdempotencyRepository repository, IdempotencyConfig config, Clock clock) {
        this.repository = repository;
        this.config = config;
        this.clock = clock;
    }

    /** Claims {@code key} within {@code scope} (an account, or the admin API) for a request whose body hashes to {@code requestHash}. */
    public Claim claim(String scope, String key, String requestHash) {
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw new GenqException(ErrorCode.INVALID_REQUEST, "Idempotency-Key must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        UUID owner = UUID.randomUUID();
        for (int round = 0; round < 3; round++) {
            if (repository.insertIfAbsent(scope, key, requestHash, owner) == 1) {
                return new Claim.Claimed(scope, key, owner);
            }
            Optional<IdempotencyRecord> found = repository.find(scope, key);
            if (found.isEmpty()) {
                continue; // released between our insert and read: try again
            }
            IdempotencyRecord existing = found.get();
            if (!existing.requestHash().equals(requestHash)) {
                return new Claim.Mismatch();
            }
            if (existing.state().equals("COMPLETED")) {
                return new Claim.Replay(existing.responseStatus(), existing.responseBody());
            }
            if (repository.takeOver(scope, key, existing.owner(), owner, clock.instant().minus(config.getLease())) == 1) {
                return new Claim.Claimed(scope, key, owner);
            }
            return new Claim.InProgress();
        }
        return new Claim.InProgress();
    }

    /**
     * Stores the response; call it inside the work's transaction. Throws if the claim was taken over
     * meanwhile, which rolls the work back: only the current holder's work may commit.
     */
    public void complete(Claim.Claimed claim, int status, String body) {
        if (repository.complete(claim.scope(), claim.key(), claim.owner(), status, body) != 1) {
            throw new IllegalStateException("idempotency key " + claim.key() + " was taken over; this request's work is undone");
        }
    }

    /**
     * Frees the key after a failure worth retrying (a 5xx), so the client's retry runs afresh. Never
     * throws: when the release fails too (the failure was PostgreSQL's), it is tried again every
     * second until it lands or the lease frees the key anyway, so a client retrying after the
     * outage is not answered request_in_progress for the rest of the lease.
     */
    public void release(Claim.Claimed claim) {
        releaseUntil(claim, clock.instant().plus(config.getLease()), true);
    }

    private void releaseUntil(Claim.Claimed claim, Instant until, boolean first) {
        try {
            repository.release(claim.scope(), claim.key(), claim.owner());
        } catch (RuntimeException e) {
            if (first) {
                LOG.warn("freeing Idempotency-Key {} failed; trying again every second until it is freed: {}", claim.key(), e.toString());
            }
            if (clock.instant().isBefore(until) && !releases.isShutdown()) {
                releases.schedule(() -> releaseUntil(claim, until, false), RELEASE_RETRY_MS, TimeUnit.MILLISECONDS);
            }
        }
    }

    @PreDestroy
    void stop() {
        releases.shutdownNow();
    }

    /** Deletes keys older than the retention, a batch at a time; returns how many. */
    public int sweep(int batchSize) {
        return repository.deleteOlderThan(clock.instant().minus(config.getRetention()), batchSize);
    }
}
