package dev.genq.scheduler;

import dev.genq.maintenance.MaintenanceTask;
import dev.genq.maintenance.RunMaintenance;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.List;
import org.jobrunr.scheduling.JobRequestScheduler;

/** The scheduler role declares every maintenance task as a recurring job at start; declaring again updates it. */
@Singleton
class RecurringJobs {
    private final JobRequestScheduler scheduler;
    private final List<MaintenanceTask> tasks;

    RecurringJobs(JobRequestScheduler scheduler, List<MaintenanceTask> tasks) {
        this.scheduler = scheduler;
        this.tasks = tasks;
    }

    @EventListener
    void declare(StartupEvent event) {
        tasks.forEach(t -> scheduler.scheduleRecurrently("genq-" + t.name(), t.interval(), new RunMaintenance(t.name())));
    }
}
