package dev.genq.maintenance;

import org.jobrunr.jobs.lambdas.JobRequest;

/** The recurring job that finds paid, QUEUED generations whose JobRunr job never got written. */
public record RequeueLostGenerations() implements JobRequest {
    @Override
    public Class<LostGenerationRequeuer> getJobRequestHandler() {
        return LostGenerationRequeuer.class;
    }
}
