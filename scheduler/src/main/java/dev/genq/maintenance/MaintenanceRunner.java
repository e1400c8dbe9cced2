package dev.genq.maintenance;

import jakarta.inject.Singleton;
import java.util.List;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the maintenance task a {@link RunMaintenance} names, on whichever worker JobRunr picks. */
@Singleton
public class MaintenanceRunner implements JobRequestHandler<RunMaintenance> {
    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceRunner.class);
    private final List<MaintenanceTask> tasks;

    public MaintenanceRunner(List<MaintenanceTask> tasks) {
        this.tasks = tasks;
    }

    @Override
    @Job(name = "Maintenance %0", retries = 0)
    public void run(RunMaintenance request) {
        MaintenanceTask task = tasks.stream().filter(t -> t.name().equals(request.task())).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no maintenance task " + request.task()));
        int changed = task.runOnce();
        LOG.debug("maintenance {} changed {}", task.name(), changed);
    }
}
