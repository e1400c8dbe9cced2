package dev.genq.generation;

import java.util.UUID;

/** Takes one generation from QUEUED to an end; implemented by the worker role. */
public interface GenerationExecutor {

    /** May run more than once for the same generation (JobRunr is at-least-once) and must be safe to. */
    void execute(UUID generationId) throws Exception;
}
