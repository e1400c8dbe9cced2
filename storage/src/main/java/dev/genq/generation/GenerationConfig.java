package dev.genq.generation;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

@ConfigurationProperties("genq.generation")
public interface GenerationConfig {

    /**
     * How long a reservation holds its coins while the generation waits: in the queue, and through
     * the retries of its submit. Default 2 hours: longer than any generation's retries, so only a
     * generation that is truly stuck reaches it. Once the vendor task starts, the hold follows the
     * route's deadline instead ({@link #getDeadlineMargin}).
     */
    @Bindable(defaultValue = "2h")
    Duration getReservationTtl();

    /**
     * How long past a vendor task's deadline its reservation still holds: the time a worker needs
     * to notice the deadline, cancel at the vendor, hear its answer and store what it delivered.
     * The scheduler extends a hold by this much again while a vendor task past it still runs.
     * Default 15 minutes.
     */
    @Bindable(defaultValue = "15m")
    Duration getDeadlineMargin();

    /**
     * How many of one account's QUEUED generations may be in JobRunr's queue at once; the rest wait
     * their turn in Redis and go in, oldest first, as the account's generations start. Keeps one
     * account's burst from standing in front of every other account's work. Default 200: more than
     * a worker starts between two polls of its queue, so a busy account loses no speed.
     */
    @Bindable(defaultValue = "200")
    int getDispatchWindow();
}
