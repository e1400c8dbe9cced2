package dev.genq.maintenance;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

@ConfigurationProperties("genq.maintenance.requeue")
public interface MaintenanceConfig {

    /** How often lost enqueues are looked for. Default 1 minute (JobRunr allows no less than 5 s). */
    @Bindable(defaultValue = "1m")
    Duration getInterval();

    /**
     * A QUEUED generation must be at least this old before it counts as lost, so the API's own
     * enqueue right after commit is never raced. Default 30 s.
     */
    @Bindable(defaultValue = "30s")
    Duration getGrace();

    /** Most generations re-enqueued per run. Default 500. */
    @Bindable(defaultValue = "500")
    int getBatchSize();
}
