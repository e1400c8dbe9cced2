package dev.genq.generation;

import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

/**
 * The JobRunr handler of {@link RunGeneration}. JobRunr insists on a concrete handler class that
 * every role can load (the API validates jobs it enqueues), so this one lives here and hands the
 * work to the {@link GenerationExecutor} the worker role provides, resolved only when a job runs.
 */
@Singleton
public class RunGenerationHandler implements JobRequestHandler<RunGeneration> {
    private final BeanProvider<GenerationExecutor> executor;

    RunGenerationHandler(BeanProvider<GenerationExecutor> executor) {
        this.executor = executor;
    }

    @Override
    public void run(RunGeneration request) throws Exception {
        // A job that failed before (a retry, an orphan JobRunr took back) is no first run: no model.
        boolean first = jobContext().amountOfFailures() == 0;
        executor.get().execute(request.generationId(), first ? request.model() : null, first ? request.accountId() : null);
    }
}
