package dev.genq.generation;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

@ConfigurationProperties("genq.generation")
public interface GenerationConfig {

    /**
     * How long a reservation may stay open. Default 2 hours: longer than any generation's retries,
     * so only a generation that is truly stuck reaches it.
     */
    @Bindable(defaultValue = "2h")
    Duration getReservationTtl();
}
