package dev.genq.idempotency;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/** Claims, completes and releases idempotency keys. */
@Singleton
public class IdempotencyKeys {
    private static final int MAX_KEY_LENGTH = 255;
    private final IdempotencyRepository repository;
    private final IdempotencyConfig config;
    private final Clock clock;

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

    /** Frees the key after a failure worth retrying (a 5xx), so the client's retry runs afresh. */
    public void release(Claim.Claimed claim) {
        repository.release(claim.scope(), claim.key(), claim.owner());
    }

    /** Deletes keys older than the retention, a batch at a time; returns how many. */
    public int sweep(int batchSize) {
        return repository.deleteOlderThan(clock.instant().minus(config.getRetention()), batchSize);
    }
}
