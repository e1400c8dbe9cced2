package dev.genq.generation;

import io.micronaut.core.annotation.Nullable;
import java.util.UUID;

/** Takes one generation from QUEUED to an end; implemented by the worker role. */
public interface GenerationExecutor {

    /**
     * May run more than once for the same generation (JobRunr is at-least-once) and must be safe to.
     * {@code model}, the generation's, is given only for the first execution of its job: a generation
     * that is no longer QUEUED then is in the hands of another execution of the same job; with it the
     * owner's {@code accountId}, when the job carries it, so the provider permit is shared fairly.
     */
    void execute(UUID generationId, @Nullable String model, @Nullable UUID accountId) throws Exception;

    default void execute(UUID generationId, @Nullable String model) throws Exception {
        execute(generationId, model, null);
    }

    /** A run that knows only the id, as after a re-enqueue. */
    default void execute(UUID generationId) throws Exception {
        execute(generationId, null, null);
    }
}
