package dev.genq.webhook;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

@ConfigurationProperties("genq.webhooks")
public interface WebhooksConfig {

    /** Let endpoints on loopback addresses through the SSRF check. Default false; tests turn it on for their receivers. */
    @Bindable(defaultValue = "false")
    boolean isAllowLoopback();

    /** How long one POST may take, connecting included; slower counts as a failed attempt. Default 10 s. */
    @Bindable(defaultValue = "10s")
    Duration getTimeout();
}
