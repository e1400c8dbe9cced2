package dev.genq.execution;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

@ConfigurationProperties("genq.worker")
public interface WorkerConfig {

    /** Timeout for downloading one output from the vendor. Default 10 minutes, for large videos. */
    @Bindable(defaultValue = "10m")
    Duration getDownloadTimeout();

    /**
     * Public base URL at which vendors reach this cluster's worker webhooks, e.g.
     * https://hooks.example.com. Unset: no webhooks are requested and polling alone finishes tasks.
     */
    @io.micronaut.core.annotation.Nullable
    String getWebhookBaseUrl();

    /**
     * The shortest pause of the poller after a poll that found no vendor task due for a check: the
     * polls then claim what fell due meanwhile together. Default 250 ms.
     */
    @Bindable(defaultValue = "250ms")
    Duration getPollTick();

    /**
     * The longest pause of the poller after a poll that found nothing due. It polls again when the
     * next check it knows of falls due (from the database, from this worker's own writes, and from
     * other workers' announcements of checks they had no room for); this bounds how late it sees
     * one it cannot know of: coming back from the lease of a worker that died, or announced in a
     * message that was lost. Default 2 s: an idle worker polls about once in that time rather than
     * at every tick.
     */
    @Bindable(defaultValue = "2s")
    Duration getMaxPollPause();

    /** Most due tasks one poll claims. Default 500. */
    @Bindable(defaultValue = "500")
    int getPollBatchSize();

    /**
     * Checks (and finishes, which downloads outputs) running at once per worker. Default 512: they
     * wait on vendors and S3 on virtual threads, so this bounds sockets and memory, not threads.
     */
    @Bindable(defaultValue = "512")
    int getMaxChecksInFlight();

    /**
     * How long a claimed check belongs to this worker. Default 2 minutes, longer than a check and
     * most finishes; if the worker dies, another takes the task over when it runs out.
     */
    @Bindable(defaultValue = "2m")
    Duration getCheckLease();
}
