package dev.genq.generation;

import dev.genq.infra.Batcher;
import dev.genq.queue.NewWork;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.UUID;
import org.jobrunr.scheduling.JobBuilder;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands generations to JobRunr; the job id is the generation id, so a job exists at most once.
 *
 * <p>New generations are enqueued in batches by one background thread ({@link #enqueueSoon}): a
 * submit's commit then never waits for JobRunr, and above all never asks the pool for a second
 * connection while its own is still held (which, with as many concurrent submits as the pool has
 * connections, deadlocks them all). A generation whose enqueue is lost (a crash before the flush)
 * is QUEUED without a job, and the scheduler's requeuer gives it one.
 */
@Singleton
public class GenerationQueue {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationQueue.class);
    private static final int BATCH = 500;
    private final JobRequestScheduler scheduler;
    private final NewWork newWork;
    private final Batcher<RunGeneration> pending;

    public GenerationQueue(JobRequestScheduler scheduler, NewWork newWork) {
        this.scheduler = scheduler;
        this.newWork = newWork;
        this.pending = new Batcher<>("genq-enqueue", BATCH, this::flush);
    }

    /** Enqueues in the background, batched with other submits; never blocks and never throws. */
    public void enqueueSoon(UUID generationId, String model, UUID accountId) {
        RunGeneration run = new RunGeneration(generationId, model, accountId);
        if (!pending.add(run)) {
            enqueue(run); // shutting down: enqueue directly rather than leave it to the requeuer
        }
    }

    /**
     * Enqueues now. A failure is logged, not thrown: the generation is paid for and QUEUED, and the
     * scheduler re-enqueues generations without a job.
     */
    public boolean enqueue(UUID generationId) {
        return enqueue(new RunGeneration(generationId, null, null));
    }

    private boolean enqueue(RunGeneration run) {
        try {
            scheduler.create(job(run));
            newWork.announce();
            return true;
        } catch (RuntimeException e) {
            LOG.warn("enqueue of generation {} failed; the scheduler will re-enqueue it: {}", run.generationId(), e.toString());
            return false;
        }
    }

    /** One insert for the batch; if the batch fails (one job already exists, say), each is tried alone. */
    private void flush(List<RunGeneration> batch) {
        try {
            scheduler.create(batch.stream().map(GenerationQueue::job));
            newWork.announce();
        } catch (RuntimeException e) {
            LOG.info("a batch of {} enqueues failed ({}); enqueueing them one by one", batch.size(), e.toString());
            batch.forEach(this::enqueue);
        }
    }

    /** The job of a generation: its id is the generation's, so JobRunr keeps at most one. */
    private static JobBuilder job(RunGeneration run) {
        return JobBuilder.aJob().withId(run.generationId()).withName("Generation " + run.generationId()).withJobRequest(run);
    }

    @PreDestroy
    void stop() {
        pending.close();
    }
}
