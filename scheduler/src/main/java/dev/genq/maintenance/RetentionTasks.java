package dev.genq.maintenance;

import dev.genq.privacy.Retention;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The retention tasks, each removing one kind of record past its configured age. */
@Factory
class RetentionTasks {
    private final Retention retention;
    private final RetentionConfig config;
    private final MaintenanceConfig maintenance;
    private final MeterRegistry registry;
    private final Clock clock;

    RetentionTasks(Retention retention, RetentionConfig config, MaintenanceConfig maintenance, MeterRegistry registry, Clock clock) {
        this.retention = retention;
        this.config = config;
        this.maintenance = maintenance;
        this.registry = registry;
        this.clock = clock;
    }

    @Singleton
    @Named("expire-outputs")
    RetentionTask outputs() {
        return task("expire-outputs", () -> retention.expireOutputs(clock.instant().minus(config.getOutputs()), maintenance.getBatchSize()));
    }

    @Singleton
    @Named("scrub-closed-accounts")
    RetentionTask closed() {
        return task("scrub-closed-accounts", () -> retention.scrubClosed(maintenance.getBatchSize()));
    }

    @Singleton
    @Named("purge-closed-history")
    RetentionTask history() {
        return task("purge-closed-history",
            () -> retention.purgeClosedHistory(clock.instant().minus(config.getHistoryAfterClosure()), maintenance.getBatchSize()));
    }

    @Singleton
    @Named("archive-billing")
    RetentionTask billing() {
        return task("archive-billing",
            () -> retention.archiveBilling(clock.instant().minus(config.getBilling()), config.isArchiveBilling(), maintenance.getBatchSize()));
    }

    @Singleton
    @Named("purge-activity")
    RetentionTask activity() {
        return task("purge-activity", () -> retention.purgeActivity(clock.instant().minus(config.getActivity()), maintenance.getBatchSize()));
    }

    private RetentionTask task(String name, java.util.function.IntSupplier batch) {
        return new RetentionTask(name, config.getInterval(), batch, registry);
    }
}
