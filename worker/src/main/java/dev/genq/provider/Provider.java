package dev.genq.provider;

/**
 * One vendor account speaking one wire format. Work is split so nothing waits on a vendor while
 * holding a worker: {@link #submit} starts the task and returns at once, {@link #check} is asked
 * later (by the poller, or when a webhook says the task changed).
 */
public interface Provider {

    /**
     * Starts the vendor's work, passing the generation id as the vendor's idempotency key, so a
     * retried submit finds the task already made. Synchronous vendors answer with a finished state.
     *
     * @throws ProviderException classified as retryable or permanent
     */
    Submission submit(ProviderRequest request) throws ProviderException;

    /** What the vendor says about a task now. A retryable exception means "ask again later". */
    TaskState check(String taskId) throws ProviderException;

    /** Asks the vendor to stop a task; best effort, so a vendor that cannot simply ignores it. */
    void cancel(String taskId);
}
