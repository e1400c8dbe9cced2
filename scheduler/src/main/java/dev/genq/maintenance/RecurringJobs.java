package dev.genq.maintenance;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.jobrunr.scheduling.JobRequestScheduler;

/** The scheduler role declares the recurring jobs at start; declaring again just updates them. */
@Singleton
@Requires(env = "scheduler")
class RecurringJobs {
    static final String REQUEUE_LOST = "genq-requeue-lost-generations";
    private final JobRequestScheduler scheduler;
    private final MaintenanceConfig config;

    RecurringJobs(JobRequestScheduler scheduler, MaintenanceConfig config) {
        this.scheduler = scheduler;
        this.config = config;
    }

    @EventListener
    void declare(StartupEvent event) {
        scheduler.scheduleRecurrently(REQUEUE_LOST, config.getInterval(), new RequeueLostGenerations());
    }
}
