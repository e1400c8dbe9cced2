package dev.genq.maintenance;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * One kind of retention as a maintenance task: a batch per run, counted in
 * {@code genq_retention_removed_total{kind}} so an operator sees what retention removed.
 */
public final class RetentionTask implements MaintenanceTask {
    private final String name;
    private final Duration interval;
    private final IntSupplier batch;
    private final Counter removed;

    RetentionTask(String name, Duration interval, IntSupplier batch, MeterRegistry registry) {
        this.name = name;
        this.interval = interval;
        this.batch = batch;
        this.removed = Counter.builder("genq.retention.removed").tag("kind", name)
            .description("Records retention deleted or anonymised").register(registry);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public int runOnce() {
        int n = batch.getAsInt();
        removed.increment(n);
        return n;
    }
}
