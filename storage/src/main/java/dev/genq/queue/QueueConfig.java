package dev.genq.queue;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

@ConfigurationProperties("genq.queue")
public interface QueueConfig {

    /** How often a background job server looks for work. Default 5 s, the least JobRunr allows on SQL. */
    @Bindable(defaultValue = "5s")
    Duration getPollInterval();

    /**
     * Worker (virtual) threads per worker process. Default 1000: a job holds its worker through the
     * vendor's submit and a few batched writes, so the count is sized for submits in flight, not
     * cores; with 256, jobs on a loaded 2-core node waited over a second for a worker.
     */
    @Bindable(defaultValue = "1000")
    int getWorkerCount();

    /** Succeeded JobRunr jobs are deleted after this. Default 1 h: generations keep their own history. */
    @Bindable(defaultValue = "1h")
    Duration getDeleteSucceededAfter();

    /** JobRunr's own retries of a job that threw. Default 5; genq's attempt budget is per model, see the worker. */
    @Bindable(defaultValue = "5")
    int getRetries();

    /** Base of the exponential retry backoff, in seconds (seed^attempt, plus jitter). Default 3. */
    @Bindable(defaultValue = "3")
    int getBackoffSeedSeconds();
}
