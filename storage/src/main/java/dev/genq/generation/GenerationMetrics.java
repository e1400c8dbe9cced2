package dev.genq.generation;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.time.Duration;

/** Counters an operator watches: generations by model and outcome, how long they took, coins by ledger operation. */
@Singleton
public class GenerationMetrics {
    private final MeterRegistry registry;

    public GenerationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void submitted(String model, long reservedCoins) {
        registry.counter("genq.generations.submitted", "model", model).increment();
        coins("reserved", reservedCoins);
    }

    void finished(Generation ended) {
        String status = ended.status().name().toLowerCase();
        registry.counter("genq.generations.finished", "model", ended.model(), "status", status).increment();
        registry.timer("genq.generation.duration", "model", ended.model(), "status", status)
            .record(Duration.between(ended.createdAt(), ended.finishedAt()));
        coins("posted", ended.chargedCoins());
        coins("voided", ended.priceCoins() - ended.chargedCoins());
    }

    void coins(String operation, long coins) {
        registry.counter("genq.coins", "operation", operation).increment(coins);
    }
}
