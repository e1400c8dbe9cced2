package dev.genq.execution;

import dev.genq.generation.Generation;
import dev.genq.generation.Settlement;
import dev.genq.generation.TaskChecks;
import dev.genq.provider.ProviderException;
import dev.genq.provider.ProviderLimits;
import dev.genq.provider.Providers;
import dev.genq.provider.TaskRef;
import dev.genq.provider.TaskState;
import dev.genq.queue.NewWork;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows running vendor tasks for the worker role. It claims tasks due for a check in batches
 * (several workers claim side by side, see the repository's SKIP LOCKED claim) and checks them
 * concurrently on virtual threads, so thousands of pending tasks are watched at once and no
 * platform thread or JobRunr worker waits on a vendor. After a poll that found nothing due it
 * pauses until the next check due that it knows of ({@link PollPause}). A task a webhook wakes is
 * leased to this worker by the wake itself and checked at once (see
 * {@link TaskChecks#checkWokenTasks}), from the webhook's own report when it tells of the task's
 * success.
 */
@Context
class TaskPoller {
    private static final Logger LOG = LoggerFactory.getLogger(TaskPoller.class);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);
    private static final Duration ROOM_WAIT = Duration.ofMillis(200);
    private final TaskChecks checks;
    private final Settlement settlement;
    private final NewWork newWork;
    private final Routes routes;
    private final TaskOutcomes outcomes;
    private final ProviderLimits limits;
    // Read once: a configuration interface's getter looks its property up and converts it on every call.
    private final Duration checkLease;
    private final int pollBatchSize;
    private final Clock clock;
    private final Semaphore inFlight;
    /** The generations being checked now: handed back to any worker if this one stops before their checks end. */
    private final Set<UUID> checking = ConcurrentHashMap.newKeySet();
    private final ExecutorService checkThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final Thread loop;
    private final PollPause pause;
    private final Counter polls;

    TaskPoller(TaskChecks checks, Settlement settlement, Routes routes, TaskOutcomes outcomes, ProviderLimits limits,
               WorkerConfig config, Clock clock, MeterRegistry metrics, NewWork newWork) {
        this.limits = limits;
        this.checks = checks;
        this.settlement = settlement;
        this.newWork = newWork;
        this.routes = routes;
        this.outcomes = outcomes;
        this.pause = new PollPause(config.getPollTick(), config.getMaxPollPause());
        this.polls = Counter.builder("genq.worker.task.polls").register(metrics);
        this.checkLease = config.getCheckLease();
        this.pollBatchSize = config.getPollBatchSize();
        this.clock = clock;
        this.inFlight = new Semaphore(config.getMaxChecksInFlight());
        this.loop = Thread.ofVirtual().name("genq-task-poller").start(this::pollUntilStopped);
        checks.checkWokenTasks(checkLease, this::checkWoken);
        checks.onChecksDue(at -> pause.dueIn(Duration.between(clock.instant(), at)));
        newWork.listenForChecksDue(() -> pause.dueIn(Duration.ZERO)); // another worker made a check due it has no room for
    }

    private void pollUntilStopped() {
        try {
            while (!pause.stopped()) {
                pause.pollBegins();
                int claimed = 0;
                Duration untilNextDue = null;
                try {
                    claimed = pollOnce();
                    untilNextDue = claimed == 0 ? untilNextDue() : null;
                } catch (RuntimeException e) {
                    LOG.warn("polling vendor tasks failed; trying again: {}", e.toString());
                    untilNextDue = Duration.ZERO; // the poll tick, as the database may be back by then
                }
                if (claimed == 0 && !pause.pause(untilNextDue)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // stopped while waiting for room
        }
    }

    /** How long until the earliest check due in the database; null when none is. */
    private @Nullable Duration untilNextDue() {
        return checks.nextCheckDue().map(at -> Duration.between(clock.instant(), at)).orElse(null);
    }

    /** Claims the due tasks it has room for and starts checking them; returns how many it claimed. */
    int pollOnce() throws InterruptedException {
        inFlight.acquire();
        int room = 1 + inFlight.drainPermits();
        List<Generation> due;
        try {
            due = checks.claimDueChecks(clock.instant().plus(checkLease), Math.min(room, pollBatchSize));
        } catch (RuntimeException e) {
            inFlight.release(room); // a failed claim must not shrink the room for later ones
            throw e;
        }
        polls.increment();
        inFlight.release(room - due.size());
        due.forEach(this::startCheck);
        return due.size();
    }

    /**
     * A task a vendor's webhook woke, leased to this worker by the wake: checked now when there is
     * room, else made due at once, and other workers told, for this worker's or another's poll to
     * claim when there is. The short wait for room bridges the moment a poll holds all of it while
     * it claims.
     */
    private void checkWoken(Generation leased, @Nullable String report) {
        try {
            checkThreads.submit(() -> {
                if (roomWithin(ROOM_WAIT)) {
                    checkInRoom(leased, report);
                } else {
                    leaveToAnyWorker(leased);
                }
            });
        } catch (RejectedExecutionException e) {
            leaveToAnyWorker(leased); // stopping
        }
    }

    private void leaveToAnyWorker(Generation leased) {
        checks.scheduleCheck(leased, clock.instant());
        newWork.announceChecksDue();
    }

    private boolean roomWithin(Duration wait) {
        try {
            return !pause.stopped() && inFlight.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Checks a task leased to this worker on a virtual thread of its own; the caller took its permit of the room. */
    private void startCheck(Generation leased) {
        checkThreads.submit(() -> checkInRoom(leased, null));
    }

    /** Checks a task and gives back the permit of the room its caller took. */
    private void checkInRoom(Generation leased, @Nullable String report) {
        checking.add(leased.id());
        try {
            check(leased, report);
        } finally {
            checking.remove(leased.id());
            inFlight.release();
        }
    }

    /** How many checks are running on this worker now. */
    int checksInFlight() {
        return checking.size();
    }

    /** Claims nothing more (a drain): no poll, and tasks woken from now on are left to the other workers. */
    void stopClaiming() {
        checks.stopCheckingWokenTasks();
        checks.onChecksDue(at -> { });
        pause.stop();
    }

    /** @param report the body of the verified webhook that woke the task, or null */
    private void check(Generation leased, @Nullable String report) {
        Generation running = leased;
        try {
            Providers.Account account = routes.accountOf(running);
            TaskRef task = routes.taskOf(running);
            TaskState.Done reported = report == null ? null : account.provider().reportedSuccess(task, report);
            if (reported != null) {
                outcomes.apply(running, account, reported); // the vendor said it, signed: no need to ask again
                return;
            }
            if (!limits.tryCall(account.config())) {
                outcomes.rateLimited(running);
                return;
            }
            if (outcomes.cancelDue(running)) {
                running = outcomes.cancelAtVendor(running, account, task); // then ask how the task ended, as for any check
            }
            try {
                outcomes.apply(running, account, account.provider().check(task));
            } catch (ProviderException e) {
                outcomes.checkFailed(running, account, e);
            }
        } catch (ProviderException e) {
            settlement.fail(running, e.code(), e.getMessage()); // the provider is no longer configured
        } catch (RuntimeException e) {
            LOG.warn("checking generation {} failed; checking again shortly: {}", running.id(), e.toString());
            retryShortly(running);
        }
    }

    /** After an unexpected failure; if even this write fails, the claim's lease still brings the task back. */
    private void retryShortly(Generation running) {
        try {
            checks.scheduleCheck(running, clock.instant().plus(RETRY_AFTER_FAILURE));
        } catch (RuntimeException e) {
            LOG.warn("rescheduling generation {} failed; its lease brings it back: {}", running.id(), e.toString());
        }
    }

    /**
     * Stops polling and, for the checks still running (past the drain's grace), ends them and hands
     * their tasks back: due now, for another worker to take at once instead of when the lease ends.
     */
    @PreDestroy
    void stop() throws InterruptedException {
        stopClaiming();
        loop.join(5_000);
        if (loop.isAlive()) { // still waiting for room among the checks in flight
            loop.interrupt();
            loop.join(1_000);
        }
        if (checking.isEmpty()) {
            checkThreads.shutdown();
            return;
        }
        List<UUID> unfinished = List.copyOf(checking);
        checkThreads.shutdownNow();
        checkThreads.awaitTermination(2, TimeUnit.SECONDS);
        try {
            checks.extendLeases(unfinished, clock.instant());
            newWork.announceChecksDue();
            LOG.info("stopping: handed {} unfinished check(s) back to the other workers", unfinished.size());
        } catch (RuntimeException e) {
            LOG.warn("stopping: could not hand {} unfinished check(s) back; their leases bring them back: {}", unfinished.size(), e.toString());
        }
    }
}
