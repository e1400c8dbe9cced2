package dev.genq.idempotency;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

@ConfigurationProperties("genq.idempotency")
public interface IdempotencyConfig {

    /** How long keys and their responses are kept. Default 24 h, Stripe's promise. */
    @Bindable(defaultValue = "24h")
    Duration getRetention();

    /**
     * How long a claimed key stays "in progress" before another request may take it over. Default
     * 60 s: far longer than any submit, short enough that a crashed node does not wedge a key.
     */
    @Bindable(defaultValue = "60s")
    Duration getLease();
}
