package dev.genq.generation;

import java.util.UUID;
import org.jobrunr.jobs.lambdas.JobRequest;

/** The JobRunr job that runs one generation; it carries only the id, which is also the job's id. */
public record RunGeneration(UUID generationId) implements JobRequest {
    @Override
    public Class<RunGenerationHandler> getJobRequestHandler() {
        return RunGenerationHandler.class;
    }
}
