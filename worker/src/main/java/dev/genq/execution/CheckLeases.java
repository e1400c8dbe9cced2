package dev.genq.execution;

import dev.genq.generation.Generation;
import dev.genq.generation.TaskChecks;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a task away from the poller while this worker finishes it. Storing a large output can take
 * longer than a check's lease (waiting its turn for upload memory, say); without this, the poller
 * would claim the task again and a second worker would download and upload the same output. Every
 * quarter lease, the leases of all finishes running on this worker are pushed forward in one
 * statement (a thousand finishes waiting for upload memory would otherwise cost a thousand
 * statements and commits); a quarter, so that a finish that started just after a renewal is
 * renewed well before its lease, taken when its check was claimed, runs out. A worker that dies
 * just stops pushing.
 */
@Singleton
class CheckLeases {
    private static final Logger LOG = LoggerFactory.getLogger(CheckLeases.class);
    /** Ids per statement: a bounded array parameter. */
    private static final int CHUNK = 10_000;
    private final TaskChecks checks;
    private final Duration lease;
    private final Clock clock;
    /** Held leases by generation, with how many finishes hold each (a second holder must not end the first's). */
    private final Map<UUID, Integer> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name("genq-check-leases").factory());

    @Inject
    CheckLeases(TaskChecks checks, WorkerConfig config, Clock clock) {
        this(checks, config.getCheckLease(), clock);
    }

    CheckLeases(TaskChecks checks, Duration lease, Clock clock) {
        this.checks = checks;
        this.lease = lease;
        this.clock = clock;
        long everyMs = Math.max(1, lease.toMillis() / 4);
        timer.scheduleWithFixedDelay(this::renewAll, everyMs, everyMs, TimeUnit.MILLISECONDS);
    }

    /** Holds the lease of {@code running}'s check until the returned handle is closed. */
    Held hold(Generation running) {
        UUID id = running.id();
        held.merge(id, 1, Integer::sum);
        return () -> held.computeIfPresent(id, (k, n) -> n == 1 ? null : n - 1);
    }

    private void renewAll() {
        if (held.isEmpty()) {
            return;
        }
        List<UUID> ids = new ArrayList<>(held.keySet());
        try {
            for (int from = 0; from < ids.size(); from += CHUNK) {
                checks.extendLeases(ids.subList(from, Math.min(ids.size(), from + CHUNK)), clock.instant().plus(lease));
            }
        } catch (RuntimeException e) {
            LOG.warn("extending the check leases of {} finishing generations failed; another worker may finish them too: {}",
                ids.size(), e.toString());
        }
    }

    /** A held lease; closing stops its renewals. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Stops renewing, and hands the finishes still running back: their tasks due now, for another worker. */
    @PreDestroy
    void stop() {
        timer.shutdownNow();
        if (!held.isEmpty()) {
            try {
                checks.extendLeases(List.copyOf(held.keySet()), clock.instant());
            } catch (RuntimeException e) {
                LOG.warn("stopping: could not hand {} unfinished finish(es) back; their leases bring them back: {}", held.size(), e.toString());
            }
        }
    }
}
