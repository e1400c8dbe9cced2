package dev.genq.execution;

import io.micronaut.core.annotation.Nullable;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How long the task poller pauses after a poll that found nothing due: until the earliest check due
 * that it knows of, no sooner than the poll tick (polls that find nothing stay spaced) and no later
 * than the longest pause (within which it sees what it cannot know of: the lease of a worker that
 * died, a due check whose announcement was lost). It knows of checks due from the database, asked
 * after each empty poll, from this process's own writes made meanwhile, and from other workers'
 * announcements of checks they made due with no room for them ({@link #dueIn}). An idle worker so
 * polls about once per longest pause instead of four times a second, and a task due in 1.3 s is
 * still claimed when it falls due.
 */
final class PollPause {
    private static final long NONE = Long.MAX_VALUE;
    private final long tick;
    private final long longest;
    private final long origin = System.nanoTime(); // times are nanoseconds since, so they compare without overflow
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long earliestNoted = NONE; // of the checks this process made due since the poll began
    private volatile boolean stopped;

    PollPause(Duration tick, Duration longest) {
        this.tick = tick.toNanos();
        this.longest = Math.max(this.tick, longest.toNanos());
    }

    /**
     * A poll is about to claim what is due: a check made due from now on is noted for the pause
     * after it, should that poll not see it.
     */
    void pollBegins() {
        lock.lock();
        try {
            earliestNoted = NONE;
        } finally {
            lock.unlock();
        }
    }

    /** This process committed a check that falls due in {@code delay} (negative: already due). */
    void dueIn(Duration delay) {
        long at = now() + clamp(delay);
        lock.lock();
        try {
            if (at < earliestNoted) {
                earliestNoted = at;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Pauses after a poll that found nothing due.
     *
     * @param untilNextDue how long until the earliest check due in the database; null when there is none
     * @return false when stopped (or interrupted) meanwhile
     */
    boolean pause(@Nullable Duration untilNextDue) {
        long start = now();
        long soonest = start + tick;
        long end = start + Math.max(tick, untilNextDue == null ? longest : clamp(untilNextDue));
        lock.lock();
        try {
            while (!stopped) {
                long left = Math.max(soonest, Math.min(end, earliestNoted)) - now();
                if (left <= 0) {
                    return true;
                }
                changed.awaitNanos(left);
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** True once {@link #stop} was called: the poll loop ends. */
    boolean stopped() {
        return stopped;
    }

    /** Ends a pause under way, and any later one, at once. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A delay in nanoseconds within [0, longest]: beyond the longest pause, a time changes nothing. */
    private long clamp(Duration delay) {
        return delay.isNegative() ? 0 : delay.compareTo(Duration.ofNanos(longest)) >= 0 ? longest : delay.toNanos();
    }

    private long now() {
        return System.nanoTime() - origin;
    }
}
