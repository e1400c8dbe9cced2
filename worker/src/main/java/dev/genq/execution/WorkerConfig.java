package dev.genq.execution;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

@ConfigurationProperties("genq.worker")
public interface WorkerConfig {

    /**
     * Attempts per generation before a retryable failure becomes final (FAILED and refunded).
     * Default 4: rides out a short vendor outage without keeping a customer waiting for long.
     */
    @Bindable(defaultValue = "4")
    int getMaxAttempts();

    /** Timeout for downloading one output from the vendor. Default 10 minutes, for large videos. */
    @Bindable(defaultValue = "10m")
    Duration getDownloadTimeout();
}
