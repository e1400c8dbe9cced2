package dev.genq.maintenance;

import org.jobrunr.jobs.lambdas.JobRequest;

/** The JobRunr job of one maintenance task, named by the task. */
public record RunMaintenance(String task) implements JobRequest {
    @Override
    public Class<MaintenanceRunner> getJobRequestHandler() {
        return MaintenanceRunner.class;
    }
}
