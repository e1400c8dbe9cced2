package dev.genq.infra;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ends a background loop's pause at once when its owner stops, without interrupting the loop's
 * thread: an interrupt that lands while a virtual thread is in a socket call closes the socket, and
 * with it the PostgreSQL or Redis connection the loop was using (the pool then logs it as broken).
 */
public final class StopSignal {
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Waits {@code pause}, or less if stopped meanwhile; true while not stopped. */
    public boolean pause(Duration pause) {
        try {
            return !stopped.await(pause.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void stop() {
        stopped.countDown();
    }

    public boolean stopped() {
        return stopped.getCount() == 0;
    }
}
