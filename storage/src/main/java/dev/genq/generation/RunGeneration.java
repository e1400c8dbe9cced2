package dev.genq.generation;

import io.micronaut.core.annotation.Nullable;
import java.util.UUID;
import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * The JobRunr job that runs one generation; its id is also the job's id. The model lets a first run
 * take its provider permit before it touches the row; it is null in jobs the scheduler re-enqueues.
 */
public record RunGeneration(UUID generationId, @Nullable String model) implements JobRequest {
    @Override
    public Class<RunGenerationHandler> getJobRequestHandler() {
        return RunGenerationHandler.class;
    }
}
