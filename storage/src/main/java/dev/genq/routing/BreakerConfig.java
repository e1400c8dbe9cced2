package dev.genq.routing;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/** When a route's breaker opens and how it heals, under {@code genq.routing.breaker}. */
@ConfigurationProperties("genq.routing.breaker")
public interface BreakerConfig {

    /** Share of failed calls in a window that opens the breaker. Default 0.5. */
    @Bindable(defaultValue = "0.5")
    double getFailureRatio();

    /** Fewest calls in a window before the ratio counts, so two early failures do not open it. Default 6. */
    @Bindable(defaultValue = "6")
    int getMinimumCalls();

    /** Length of the counting window; counts restart after it. Default 60 s. */
    @Bindable(defaultValue = "60s")
    Duration getWindow();

    /** How long an open breaker refuses calls before one probe is let through (half-open). Default 30 s. */
    @Bindable(defaultValue = "30s")
    Duration getCoolDown();

    /**
     * How long a worker trusts a closed breaker it has read, and the pace at which it counts its
     * successful calls in Redis, so that a healthy route costs no Redis call per generation. A
     * failure is counted at once, with the successes gathered before it. Another worker's opening
     * of the breaker reaches this one within this time. 0 asks Redis on every call. Default 500 ms.
     */
    @Bindable(defaultValue = "500ms")
    Duration getLocalFor();
}
