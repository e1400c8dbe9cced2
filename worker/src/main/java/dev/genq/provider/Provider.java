package dev.genq.provider;

import io.micronaut.core.annotation.Nullable;
import java.util.function.Function;

/**
 * One vendor account speaking one wire format; one package per wire format implements it. Work is
 * split so nothing waits on a vendor while holding a worker: {@link #submit} starts the task and
 * returns at once, {@link #check} is asked later (by the poller, or when a webhook says the task
 * changed). Synchronous vendors answer the submit with a finished state.
 */
public interface Provider {

    /**
     * Starts the vendor's work. Where the vendor supports one, the generation id goes along as its
     * idempotency key, so a resent submit finds the task already made. Where it does not, a submit
     * whose fate is unknown fails for good (see {@link ProviderException#afterSubmit}).
     *
     * @throws ProviderException classified as retryable or permanent
     */
    Submission submit(ProviderRequest request) throws ProviderException;

    /** What the vendor says about a task now. A retryable exception means "ask again later". */
    TaskState check(TaskRef task) throws ProviderException;

    /**
     * Asks the vendor to stop a task. True when the vendor took the request; false when it refused,
     * cannot cancel, or could not be asked. Either way the task's end is then learnt from
     * {@link #check}: a vendor may still finish (or partly deliver) a task it agreed to stop.
     */
    boolean cancel(TaskRef task);

    /** Whether this account is set up to receive the vendor's webhooks (a secret or keys are configured). */
    default boolean webhooksEnabled() {
        return false;
    }

    /**
     * Checks a webhook delivery's signature and freshness by the vendor's scheme and returns the
     * task id it is about.
     *
     * @param header a header's value by name (any case), or null
     * @throws ProviderException (permanent) when the delivery is unsigned, forged, stale or unreadable
     */
    default String verifiedWebhookTaskId(Function<String, String> header, String body) throws ProviderException {
        throw ProviderException.permanent("webhooks_unsupported", "this provider sends no webhooks");
    }

    /**
     * The success of {@code task}, with its outputs, that the body of a webhook
     * {@link #verifiedWebhookTaskId} accepted reports: taken as the vendor's answer, so the check
     * that follows the webhook does not ask the vendor again. Null where the body reports anything
     * else (the task still runs or failed, it is about another task, or this vendor's webhooks carry
     * nothing genq takes): the check then asks the vendor (see {@link WebhookWindow#reportedSuccess}).
     */
    default TaskState.@Nullable Done reportedSuccess(TaskRef task, String verifiedBody) {
        return null;
    }
}
