package dev.genq.maintenance;

import dev.genq.generation.Dispatch;
import dev.genq.generation.GenerationQueue;
import dev.genq.generation.GenerationSearch;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API enqueues after its transaction commits; if the process dies in between, the generation
 * is paid for and QUEUED with no job. This puts such generations back in the queue; those held for
 * their turn in their account's dispatch window ({@link Dispatch}) are not lost, and stay held.
 */
@Singleton
public class LostGenerationRequeuer implements MaintenanceTask {
    private static final Logger LOG = LoggerFactory.getLogger(LostGenerationRequeuer.class);
    private final GenerationSearch search;
    private final GenerationQueue queue;
    private final MaintenanceConfig config;
    private final Clock clock;

    private final Dispatch dispatch;

    public LostGenerationRequeuer(GenerationSearch search, GenerationQueue queue, MaintenanceConfig config, Dispatch dispatch, Clock clock) {
        this.dispatch = dispatch;
        this.search = search;
        this.queue = queue;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "requeue-lost-generations";
    }

    @Override
    public Duration interval() {
        return config.getRequeueInterval();
    }

    /** Re-enqueues one batch; returns how many generations got their job back. */
    @Override
    public int runOnce() {
        int released = dispatch.unstick();
        if (released > 0) {
            LOG.warn("let {} held generation(s) into the queue whose release was lost", released);
        }
        List<UUID> withoutJob = search.queuedWithoutJob(clock.instant().minus(config.getRequeueGrace()), config.getBatchSize());
        Set<UUID> held = dispatch.held(withoutJob); // waiting their turn in their account's dispatch window
        List<UUID> lost = withoutJob.stream().filter(id -> !held.contains(id)).toList();
        int requeued = (int) lost.stream().filter(queue::enqueue).count();
        if (requeued > 0) {
            LOG.warn("re-enqueued {} generation(s) whose job was lost", requeued);
        }
        return requeued + released;
    }
}
