package dev.genq.execution;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/** The worker role's JobRunr background job server. */
@ConfigurationProperties("genq.queue")
public interface QueueConfig {

    /** How often a background job server looks for work. Default 5 s, the least JobRunr allows on SQL. */
    @Bindable(defaultValue = "5s")
    Duration getPollInterval();

    /**
     * Worker (virtual) threads per worker process. Default 1000: a job holds its worker through the
     * vendor's submit and a few batched writes, so the count is sized for submits in flight, not cores.
     */
    @Bindable(defaultValue = "1000")
    int getWorkerCount();

    /** Succeeded JobRunr jobs are deleted after this. Default 1 h: generations keep their own history. */
    @Bindable(defaultValue = "1h")
    Duration getDeleteSucceededAfter();
}
