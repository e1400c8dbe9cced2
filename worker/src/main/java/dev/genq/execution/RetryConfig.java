package dev.genq.execution;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/** Every retry setting of the worker, read by {@link FailurePolicy} alone. */
@ConfigurationProperties("genq.worker.retry")
public interface RetryConfig {

    /**
     * Vendor attempts per generation before a retryable failure becomes final (FAILED and refunded);
     * a model's {@code maxAttempts} may lower it. Default 4: rides out a short vendor outage without
     * keeping a customer waiting for long.
     */
    @Bindable(defaultValue = "4")
    int getMaxAttempts();

    /**
     * Re-runs of a job that failed for a reason of genq's own (PostgreSQL or Redis unreachable) before
     * its generation fails and is refunded. Default 5: with the backoff, about six minutes of outage.
     */
    @Bindable(defaultValue = "5")
    int getJobRetries();

    /** Base of the exponential backoff between re-runs, in seconds (seed^failures, plus up to half again of jitter). Default 3. */
    @Bindable(defaultValue = "3")
    int getBackoffSeedSeconds();
}
