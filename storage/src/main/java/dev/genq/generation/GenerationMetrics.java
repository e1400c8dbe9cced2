package dev.genq.generation;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/** Counters an operator watches: generations by model and outcome, coins by ledger operation. */
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

    void finished(String model, GenerationStatus status) {
        registry.counter("genq.generations.finished", "model", model, "status", status.name().toLowerCase()).increment();
    }

    void coins(String operation, long coins) {
        registry.counter("genq.coins", "operation", operation).increment(coins);
    }
}
