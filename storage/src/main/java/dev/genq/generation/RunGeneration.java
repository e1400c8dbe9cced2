package dev.genq.generation;

import io.micronaut.core.annotation.Nullable;
import java.util.UUID;
import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * The JobRunr job that runs one generation; its id is also the job's id. The model and the account
 * let a first run take its provider permit (fairly among accounts) before it touches the row; they
 * are null in jobs the scheduler re-enqueues (and the account in jobs made before genq kept it).
 */
public record RunGeneration(UUID generationId, @Nullable String model, @Nullable UUID accountId) implements JobRequest {
    @Override
    public Class<RunGenerationHandler> getJobRequestHandler() {
        return RunGenerationHandler.class;
    }
}
