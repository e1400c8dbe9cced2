package dev.genq.maintenance;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/** When each maintenance task runs and how much it does per run. JobRunr allows no interval under 5 s. */
@ConfigurationProperties("genq.maintenance")
public interface MaintenanceConfig {

    /** How often lost enqueues are looked for. Default 1 minute. */
    @Bindable(defaultValue = "1m")
    Duration getRequeueInterval();

    /**
     * A QUEUED generation must be at least this old before it counts as lost, so the API's own
     * enqueue right after commit is never raced. Default 30 s.
     */
    @Bindable(defaultValue = "30s")
    Duration getRequeueGrace();

    /** How often expired reservations are voided (their generations end FAILED timeout). Default 1 minute. */
    @Bindable(defaultValue = "1m")
    Duration getExpiryInterval();

    /** How often the ledger is reconciled against its invariants. Default 10 minutes: it reads every wallet. */
    @Bindable(defaultValue = "10m")
    Duration getReconcileInterval();

    /** How often idempotency keys past their retention are deleted. Default 1 hour. */
    @Bindable(defaultValue = "1h")
    Duration getIdempotencySweepInterval();

    /** Most rows one run of a task touches. Default 500: short transactions, and the next run takes the rest. */
    @Bindable(defaultValue = "500")
    int getBatchSize();
}
