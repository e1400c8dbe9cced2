package dev.genq.execution;

import dev.genq.generation.Generation;
import dev.genq.generation.Generations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a task away from the poller while this worker finishes it. Storing a large output can take
 * longer than a check's lease (waiting its turn for upload memory, say); without this, the poller
 * would claim the task again and a second worker would download and upload the same output. The
 * lease is pushed forward every half lease while the finish runs; a finish that takes less costs no
 * write, and a worker that dies just stops pushing.
 */
@Singleton
class CheckLeases {
    private static final Logger LOG = LoggerFactory.getLogger(CheckLeases.class);
    private final Generations generations;
    private final Duration lease;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name("genq-check-leases").factory());

    @Inject
    CheckLeases(Generations generations, WorkerConfig config, Clock clock) {
        this(generations, config.getCheckLease(), clock);
    }

    CheckLeases(Generations generations, Duration lease, Clock clock) {
        this.generations = generations;
        this.lease = lease;
        this.clock = clock;
    }

    /** Holds the lease of {@code running}'s check until the returned handle is closed. */
    Held hold(Generation running) {
        long everyMs = Math.max(1, lease.toMillis() / 2);
        ScheduledFuture<?> renewal = timer.scheduleAtFixedRate(() -> Thread.ofVirtual().start(() -> renew(running)),
            everyMs, everyMs, TimeUnit.MILLISECONDS);
        return () -> renewal.cancel(false);
    }

    private void renew(Generation running) {
        try {
            generations.scheduleCheck(running, clock.instant().plus(lease));
        } catch (RuntimeException e) {
            LOG.warn("extending the check lease of generation {} failed; another worker may finish it too: {}", running.id(), e.toString());
        }
    }

    /** A held lease; closing stops the renewals. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
