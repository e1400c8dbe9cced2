package dev.genq.maintenance;

import dev.genq.idempotency.IdempotencyKeys;
import jakarta.inject.Singleton;
import java.time.Duration;

/** Deletes idempotency keys past their retention (default 24 h), one batch per run. */
@Singleton
public class IdempotencyKeySweeper implements MaintenanceTask {
    private final IdempotencyKeys keys;
    private final MaintenanceConfig config;

    public IdempotencyKeySweeper(IdempotencyKeys keys, MaintenanceConfig config) {
        this.keys = keys;
        this.config = config;
    }

    @Override
    public String name() {
        return "sweep-idempotency-keys";
    }

    @Override
    public Duration interval() {
        return config.getIdempotencySweepInterval();
    }

    @Override
    public int runOnce() {
        return keys.sweep(config.getBatchSize());
    }
}
