package dev.genq.generation;

import jakarta.inject.Singleton;
import java.util.UUID;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands generations to JobRunr; the job id is the generation id, so a job exists at most once. */
@Singleton
public class GenerationQueue {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationQueue.class);
    private final JobRequestScheduler scheduler;

    public GenerationQueue(JobRequestScheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Enqueues after the generation's transaction committed. A failure is logged, not thrown: the
     * generation is paid for and QUEUED, and the scheduler re-enqueues generations without a job.
     */
    public boolean enqueue(UUID generationId) {
        try {
            scheduler.enqueue(generationId, new RunGeneration(generationId));
            return true;
        } catch (RuntimeException e) {
            LOG.warn("enqueue of generation {} failed; the scheduler will re-enqueue it: {}", generationId, e.toString());
            return false;
        }
    }
}
