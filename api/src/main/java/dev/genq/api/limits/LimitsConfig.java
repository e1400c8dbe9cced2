package dev.genq.api.limits;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

@ConfigurationProperties("genq.limits")
public interface LimitsConfig {

    /** Requests per second one API key (or the browser tokens made from it) may make, across all api nodes. Default 50. */
    @Bindable(defaultValue = "50")
    int getKeyRequestsPerSecond();

    /** Requests per second one account may make with all its keys together. Default 200. */
    @Bindable(defaultValue = "200")
    int getAccountRequestsPerSecond();

    /**
     * Generations one account may have QUEUED or RUNNING at once; a submit beyond it is 429. Default
     * 1000: a burst fits, a runaway loop stops.
     */
    @Bindable(defaultValue = "1000")
    int getAccountGenerationsInFlight();

    /** Generations one API key (with its browser tokens) may have QUEUED or RUNNING at once. Default 500. */
    @Bindable(defaultValue = "500")
    int getKeyGenerationsInFlight();
}
