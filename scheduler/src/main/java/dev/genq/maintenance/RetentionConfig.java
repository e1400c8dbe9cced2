package dev.genq.maintenance;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How long each kind of record is kept (the defaults are the figures the services genq serves
 * promise in their terms), and how often retention looks. Every task works in batches of
 * {@code genq.maintenance.batch-size}.
 */
@ConfigurationProperties("genq.retention")
public interface RetentionConfig {

    /** Outputs are deleted from S3 this long after their generation ended. Default 30 days. */
    @Bindable(defaultValue = "30d")
    Duration getOutputs();

    /** A closed account's generations, quotes, webhooks and keys are deleted this long after its closure. Default 365 days. */
    @Bindable(defaultValue = "365d")
    Duration getHistoryAfterClosure();

    /** Ledger transfers and payments are kept this long. Default 5 years (1826 days). */
    @Bindable(defaultValue = "1826d")
    Duration getBilling();

    /** Billing records past retention go to S3 as JSON lines before they are deleted (true), or are only deleted. Default true. */
    @Bindable(defaultValue = "true")
    boolean isArchiveBilling();

    /** The activity log is kept this long. Default 365 days. */
    @Bindable(defaultValue = "365d")
    Duration getActivity();

    /** How often each retention task runs. Default 1 hour. */
    @Bindable(defaultValue = "1h")
    Duration getInterval();
}
